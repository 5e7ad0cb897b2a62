"""The cohort page: its code lives in course/ui/screens/cohort.py, imported once per process."""

from course.ui.screens import cohort

cohort.show()
