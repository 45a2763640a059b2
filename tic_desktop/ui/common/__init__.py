"""What both sides of the app share: table models, the background helper, i18n, crash handling,
autosave, the passphrase and settings dialogs, screen fit and the self-test."""
