"""The app's screens: welcome, Today, Contacts and one contact."""
