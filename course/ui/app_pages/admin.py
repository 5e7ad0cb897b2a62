"""The admin page: its code lives in course/ui/screens/admin.py, imported once per process."""

from course.ui.screens import admin

admin.show()
