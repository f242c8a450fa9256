from django import forms


class AccessLogFilterForm(forms.Form):
    object_type = forms.CharField(label="Type of record", required=False, max_length=100)
    object_id = forms.CharField(label="Record number", required=False, max_length=64)
