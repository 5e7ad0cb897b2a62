"""The verification page: its code lives in course/ui/screens/verify.py. Open to everyone."""

from course.ui.screens import verify

verify.show()
