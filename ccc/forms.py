"""NHS.UK frontend markup for Django forms.

`NHSUKFormRenderer` (settings.FORM_RENDERER) renders `{{ form }}` with
templates/forms/form.html and each `{{ field.as_field_group }}` with
templates/forms/field.html: NHS.UK form groups, labels, hints, error messages,
radios and checkboxes.

`NHSUKBoundField` adds the widget's NHS.UK classes (`nhsuk-input`,
`nhsuk-input--error`, ...) and points `aria-describedby` at the NHS.UK hint and
error ids (`<id>-hint`, `<id>-error`) at render time, when the field's errors are
known. The renderer makes it the default for every form, Django's own too (the
login form).
"""

from django.forms import ModelChoiceField, widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Widget class -> (base CSS class, CSS class added when the field has errors).
# Checked in order, so subclasses come before their parents (CheckboxSelectMultiple
# is a RadioSelect).
_WIDGET_CLASSES = (
    (widgets.CheckboxSelectMultiple, "nhsuk-checkboxes__input", None),
    (widgets.RadioSelect, "nhsuk-radios__input", None),
    (widgets.CheckboxInput, "nhsuk-checkboxes__input", None),
    (widgets.ClearableFileInput, "nhsuk-file-upload__input", None),
    (widgets.FileInput, "nhsuk-file-upload__input", None),
    (widgets.Select, "nhsuk-select", "nhsuk-select--error"),  # also SelectMultiple, NullBooleanSelect
    (widgets.Textarea, "nhsuk-textarea", "nhsuk-textarea--error"),
    (widgets.HiddenInput, None, None),
    (widgets.MultipleHiddenInput, None, None),
    (widgets.Input, "nhsuk-input", "nhsuk-input--error"),  # text, email, number, password, date, ...
    (widgets.MultiWidget, "nhsuk-input", "nhsuk-input--error"),  # e.g. SplitDateTimeWidget
)

# Narrower inputs for short values, as NHS.UK frontend's width modifiers.
_INPUT_TYPE_WIDTH = {"date": "nhsuk-input--width-10", "time": "nhsuk-input--width-5"}


def widget_css_classes(widget, has_errors=False):
    """The NHS.UK CSS classes for a widget: a list, possibly empty."""
    for widget_class, base, error in _WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            classes = [base] if base else []
            width = _INPUT_TYPE_WIDTH.get(getattr(widget, "input_type", None))
            if not width and isinstance(widget, widgets.DateInput):
                width = _INPUT_TYPE_WIDTH["date"]
            if width:
                classes.append(width)
            if has_errors and error:
                classes.append(error)
            return classes
    return []


def merge_classes(*class_strings):
    """Join CSS class strings, dropping empties and duplicates, keeping order."""
    seen = []
    for value in class_strings:
        for name in (value or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


class NHSUKBoundField(BoundField):
    """A bound field that renders its widget with NHS.UK classes and ARIA ids."""

    @property
    def hint_id(self):
        return f"{self.auto_id}-hint" if self.auto_id else ""

    @property
    def error_id(self):
        return f"{self.auto_id}-error" if self.auto_id else ""

    @property
    def aria_describedby(self):
        # Keep an aria-describedby set by hand on the widget (Django does too).
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)

    @property
    def nhsuk_kind(self):
        """How forms/field.html lays the field out, named like BoundField.widget_type.

        Subclasses of the choice widgets get the markup of their parent.
        """
        widget = self.field.widget
        if isinstance(widget, widgets.CheckboxSelectMultiple):  # a RadioSelect subclass
            return "checkboxselectmultiple"
        if isinstance(widget, widgets.RadioSelect):
            return "radioselect"
        if isinstance(widget, widgets.CheckboxInput):
            return "checkbox"
        if isinstance(widget, widgets.FileInput) and not isinstance(widget, widgets.ClearableFileInput):
            return "file"
        return self.widget_type

    @property
    def error_link_id(self):
        """The element id the error summary links to: the first radio or checkbox of a group."""
        if isinstance(self.field.widget, widgets.RadioSelect):  # CheckboxSelectMultiple too
            return f"{self.auto_id}_0" if self.auto_id else ""
        return self.id_for_label or self.auto_id or ""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        classes = widget_css_classes(widget, has_errors=bool(self.errors))
        if classes:
            # The widget merges attrs over its own, so carry its own classes along.
            attrs["class"] = merge_classes(widget.attrs.get("class"), attrs.get("class"), *classes)
        return attrs


class NHSUKFormRenderer(TemplatesSetting):
    """Form renderer using the project's template engine and NHS.UK templates, for every form."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = NHSUKBoundField


class NHSUKFormMixin:
    """Errors for empty required fields that say what to do ("Enter first name"), as NHS.UK asks,
    and radio groups without Django's blank choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = (field.label or name.replace("_", " ")).lower()
            verb = "Select" if isinstance(field.widget, (widgets.Select, widgets.RadioSelect)) else "Enter"
            field.error_messages["required"] = f"{verb} {label}"
            if field.required and isinstance(field.widget, widgets.RadioSelect):
                # A required radio group offers real answers only: no pre-ticked "---------".
                field.choices = [choice for choice in field.choices if choice[0] != ""]
            elif isinstance(field.widget, widgets.Select) and not isinstance(field.widget, widgets.RadioSelect):
                _prompt_instead_of_dashes(field, field.label or name.replace("_", " ").capitalize())


# Django's empty choice, which tells the person nothing.
_DASHES = "---------"


def _prompt_instead_of_dashes(field, label: str) -> None:
    """A select's empty choice says what to do ("Choose GP practice") instead of "---------"."""
    first, _, rest = label.partition(" ")
    prompt = "Choose " + " ".join(part for part in (first if first.isupper() else first.lower(), rest) if part)
    if isinstance(field, ModelChoiceField):  # reads empty_label as it lists; its choices are a query
        if field.empty_label == _DASHES:
            field.empty_label = prompt
    elif any(value == "" and text == _DASHES for value, text in getattr(field, "choices", [])):
        field.choices = [(value, prompt if value == "" and text == _DASHES else text) for value, text in field.choices]
