"""The expert's screens: the start page, the review window, scoring, the signed export."""
