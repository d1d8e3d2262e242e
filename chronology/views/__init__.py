"""The chronology pages: the list with its filters, import and export (chronology), one entry with its
add, amend and retract forms (entries), and the timeline drawing (timeline)."""
