from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "aphub.directory"
    label = "directory"
