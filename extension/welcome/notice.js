// What the welcome page tells users, by version of what they must know. The worker opens the page
// when redline is installed, and after an update only when `id` is newer than the one last shown
// (then at "What's new"): an update that changes nothing users must know opens nothing.
export const NOTICE = Object.freeze({
  id: 1,
  whatsNew: [
    '"Why this banner?" in the toolbar popup: the reasons of a banner, a report to copy, and two clicks to put a wrong banner right.',
    'The popup and the options page follow your browser\'s dark mode.',
    'Imports of ~/.aws/config read the file exactly as the AWS CLI reads it.',
  ],
});

/** The key of storage.local that holds the last notice shown. */
export const NOTICE_KEY = 'welcome:notice';
