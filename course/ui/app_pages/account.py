"""The account page: its code lives in course/ui/screens/account.py, imported once per process."""

from course.ui.screens import account

account.show()
