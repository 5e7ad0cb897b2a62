"""Pure course logic: scenario walking, quiz assembly, grading, statistics. No I/O, no clock."""
