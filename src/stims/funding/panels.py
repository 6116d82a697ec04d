"""This app's section of the task page (see `stims.sttasks.panels`)."""
