"""`StyledForm`: a Django form whose widgets carry Bootstrap classes, errors included."""

from __future__ import annotations

from django import forms


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on the ones with an error."""

    compact = False  # small controls, labelled by aria-label (table rows)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        size = "-sm" if self.compact else ""
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} {css}{size}" if size else css
            if self.compact:
                widget.attrs.setdefault("aria-label", str(field.label))

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
