//! Colours: one per environment kind, and text colours that stay readable on them.

use super::ids::hex_value;
use super::EnvironmentKind;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    /// Red, 0 to 255.
    pub r: u8,
    /// Green, 0 to 255.
    pub g: u8,
    /// Blue, 0 to 255.
    pub b: u8,
}

pub const BLACK: Colour = Colour::rgb(0, 0, 0);
pub const WHITE: Colour = Colour::rgb(255, 255, 255);

/// The least contrast between banner text and its background (WCAG 2 AA for normal text).
pub const MIN_CONTRAST: f64 = 4.5;

impl Colour {
    /// The colour of these channels.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Colour {
        Colour { r, g, b }
    }

    /// Parses `#RRGGBB` (the `#` is optional).
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.trim().strip_prefix('#').unwrap_or(text.trim());
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| hex_value(&hex.as_bytes()[i..i + 2]).map(|value| value as u8);
        Some(Colour::rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    /// The same hue at 55 % of its brightness.
    pub fn darker(self) -> Colour {
        let scale = |channel: u8| ((u16::from(channel) * 55 + 50) / 100) as u8;
        Colour { r: scale(self.r), g: scale(self.g), b: scale(self.b) }
    }

    /// `#RRGGBB`, upper-case.
    pub fn to_hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                pow_2_4((c + 0.055) / 1.055)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// WCAG 2 contrast ratio, from 1 to 21.
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Whether the colour reads as a warning red: red clearly dominant, neither washed out nor
    /// near black.
    pub fn reads_as_danger(self) -> bool {
        let (r, g, b) = (u16::from(self.r), u16::from(self.g), u16::from(self.b));
        r >= 0x80 && r * 2 >= g * 3 && r * 2 >= b * 3 && g.max(b) < 0xC0
    }

    /// Black or white, whichever reads better on this background.
    pub fn readable_text(self) -> Colour {
        if self.contrast(BLACK) >= self.contrast(WHITE) {
            BLACK
        } else {
            WHITE
        }
    }
}

/// `x^2.4` for `x` in (0, 1], as `x² · x^0.4`, with `y = x^0.4` solved from `y⁵ = x²` by Newton's
/// method: exact to double precision in a few steps, and without `powf`, whose code the wasm would
/// otherwise carry.
fn pow_2_4(x: f64) -> f64 {
    let square = x * x;
    let mut y = 1.0_f64;
    for _ in 0..64 {
        let next = (4.0 * y + square / (y * y * y * y)) / 5.0;
        if (next - y).abs() <= f64::EPSILON * next {
            return square * next;
        }
        y = next;
    }
    square * y
}

/// The banner background of each environment kind when the configuration names none.
pub fn default_background(kind: EnvironmentKind) -> Colour {
    match kind {
        EnvironmentKind::Prod => Colour::rgb(0xB3, 0x26, 0x1E),
        EnvironmentKind::Staging => Colour::rgb(0xF9, 0xA8, 0x25),
        EnvironmentKind::Ci => Colour::rgb(0x6A, 0x1B, 0x9A),
        EnvironmentKind::Dev => Colour::rgb(0x2E, 0x7D, 0x32),
        EnvironmentKind::Unknown => Colour::rgb(0x5F, 0x63, 0x68),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_background_has_readable_text() {
        for kind in EnvironmentKind::ALL {
            let background = default_background(kind);
            let ratio = background.contrast(background.readable_text());
            assert!(ratio >= MIN_CONTRAST, "{kind:?}: {ratio:.2}");
        }
    }

    #[test]
    fn the_power_matches_powf() {
        for c in 11..=255u8 {
            let x = (f64::from(c) / 255.0 + 0.055) / 1.055;
            assert!((pow_2_4(x) - x.powf(2.4)).abs() < 1e-12, "{c}");
        }
    }

    #[test]
    fn danger_colours_are_reds() {
        assert!(default_background(EnvironmentKind::Prod).reads_as_danger());
        for other in [EnvironmentKind::Staging, EnvironmentKind::Ci, EnvironmentKind::Dev, EnvironmentKind::Unknown] {
            assert!(!default_background(other).reads_as_danger(), "{other:?}");
        }
        assert!(Colour::rgb(0xFF, 0, 0).reads_as_danger());
        assert!(!Colour::rgb(0xFF, 0xD0, 0xD0).reads_as_danger(), "pink is washed out");
        assert!(!Colour::rgb(0x40, 0, 0).reads_as_danger(), "near black");
    }

    #[test]
    fn contrast_matches_known_values() {
        assert!((BLACK.contrast(WHITE) - 21.0).abs() < 1e-9);
        assert!((Colour::rgb(0x76, 0x76, 0x76).contrast(WHITE) - 4.54).abs() < 0.01);
        assert_eq!(Colour::parse("#b3261e").map(Colour::to_hex).as_deref(), Some("#B3261E"));
        assert_eq!(Colour::parse("#b3261"), None);
    }
}
