//! Danger mode over time: what the banner's counter says and which overlay asks, as a pure
//! function of when the tab entered its danger, what the user confirmed since, and the time now.
//! The worker passes the times in; the content script paints each step when its time comes.

use serde::Serialize;

use super::Danger;

const MINUTE_MS: u64 = 60_000;

/// How many minutes of steps one answer holds: after them the content script asks again.
const HORIZON_MINUTES: u32 = 30;

/// What the acknowledgement overlay says under the headline.
const ACKNOWLEDGE_DETAIL: &str =
    "Confirm that you need this before the console can be used. Asked once per account in this browser session.";

/// When a tab entered its danger and what the user confirmed since, as the worker records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DangerClock {
    /// When the tab entered this danger, in milliseconds since the epoch.
    pub since: u64,
    /// When the user last confirmed the reminder, if ever.
    pub confirmed_at: Option<u64>,
    /// Whether this danger's acknowledgement is stored (`None`: it needs none).
    pub acknowledged: Option<bool>,
}

/// Danger mode from one moment until the next step's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DangerStep {
    /// When this step begins, in milliseconds since the epoch.
    pub from: u64,
    /// The banner's counter line.
    pub counter: String,
    /// The overlay over the console, when one asks.
    pub overlay: Option<DangerOverlay>,
}

/// An overlay that covers the console until the user confirms with its button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DangerOverlay {
    /// What the button confirms: `acknowledge` (the first entry) or `reminder`.
    pub confirms: &'static str,
    /// The overlay's heading.
    pub heading: String,
    /// The line under the verdict's label.
    pub detail: String,
}

/// The steps of danger mode from a moment on, and when to ask for the next ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DangerSteps {
    /// In time order; the first begins at the moment asked about.
    pub steps: Vec<DangerStep>,
    /// When the last step ends: the content script asks for more then.
    pub until: u64,
}

impl Danger {
    /// What danger mode shows from `now` on, for a tab whose clock is `clock`: an overlay to
    /// acknowledge while the first entry is not, the reminder once `reminder_minutes` have passed
    /// since the entry or the last confirmation, and the minutes counted in between.
    ///
    /// ```
    /// use redline::{evaluate, Config, DangerClock, Signals};
    /// let cookie = "%7B%22arn%22%3A%22arn%3Aaws%3Aiam%3A%3A111122223333%3Aroot%22%7D";
    /// let signals = Signals { aws_user_info: Some(cookie.into()), ..Signals::default() };
    /// let verdict = evaluate("https://console.aws.amazon.com/", &signals, &Config::seed()).unwrap();
    /// let danger = verdict.danger.unwrap();
    /// let clock = DangerClock { since: 0, confirmed_at: None, acknowledged: Some(true) };
    /// let later = danger.steps(&clock, 90_000);
    /// assert_eq!(later.steps[0].counter, "Root session for 1 min");
    /// assert_eq!(later.steps[1].from, 120_000);
    /// ```
    pub fn steps(&self, clock: &DangerClock, now: u64) -> DangerSteps {
        let minutes_at = |time: u64| time.saturating_sub(clock.since) / MINUTE_MS;
        let first = minutes_at(now);
        let at_minute = |minute: u64| clock.since.saturating_add(minute.saturating_mul(MINUTE_MS));
        let until = at_minute(first + u64::from(HORIZON_MINUTES) + 1);
        let acknowledging = self.acknowledge_key.is_some() && clock.acknowledged == Some(false);
        let remind_at = (self.reminder_minutes > 0 && !acknowledging).then(|| {
            clock.confirmed_at.unwrap_or(clock.since).saturating_add(u64::from(self.reminder_minutes) * MINUTE_MS)
        });
        let mut times = vec![now];
        times.extend((first + 1..=first + u64::from(HORIZON_MINUTES)).map(at_minute));
        // In its place among the minutes (no sort: a sort's code would cost the wasm kilobytes).
        if let Some(at) = remind_at.filter(|at| *at > now && *at < until) {
            let place = times.partition_point(|time| *time < at);
            if times.get(place) != Some(&at) {
                times.insert(place, at);
            }
        }
        let steps = times
            .into_iter()
            .map(|from| {
                // Minutes as u32 (over 8,000 years): their formatting is in the wasm already.
                let minutes = u32::try_from(minutes_at(from)).unwrap_or(u32::MAX);
                let (counter, overlay) = if acknowledging {
                    let overlay = self.overlay("acknowledge", &self.headline, ACKNOWLEDGE_DETAIL);
                    (self.counter(minutes), Some(overlay))
                } else if remind_at.is_some_and(|at| from >= at) {
                    let heading = format!("{} It has been {minutes} min", self.reminder_text);
                    let overlay =
                        self.acknowledge_key.as_ref().map(|_| self.overlay("reminder", &heading, &self.headline));
                    (heading, overlay)
                } else {
                    (self.counter(minutes), None)
                };
                DangerStep { from, counter, overlay }
            })
            .collect();
        DangerSteps { steps, until }
    }

    fn counter(&self, minutes: u32) -> String {
        match minutes {
            0 => format!("{} for less than 1 min", self.elapsed_label),
            _ => format!("{} for {minutes} min", self.elapsed_label),
        }
    }

    fn overlay(&self, confirms: &'static str, heading: &str, detail: &str) -> DangerOverlay {
        DangerOverlay { confirms, heading: heading.to_owned(), detail: detail.to_owned() }
    }
}
