"""The module page: its code lives in course/ui/screens/module.py, imported once per process."""

from course.ui.screens import module

module.show()
