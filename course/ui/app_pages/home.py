"""The home page: its code lives in course/ui/screens/home.py, imported once per process."""

from course.ui.screens import home

home.show()
