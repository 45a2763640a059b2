"""The agency's screens: batch wizard, pool and draw, key enrolment, sheet import, consolidation, the
panel opinion and the exports."""
