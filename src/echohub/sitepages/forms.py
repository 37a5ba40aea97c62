from django import forms

from echohub.sitepages.models import SitePage


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title_en", "title_fr", "body_en", "body_fr"]
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 14}),
            "body_fr": forms.Textarea(attrs={"rows": 14}),
        }
