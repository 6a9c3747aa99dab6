"""The order form of an audit report: period (a month by default), stores, language."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import DataRequired

from app.companies.forms import LANGUAGES, MultiCheckbox
from app.companies.models import Store


class OrderForm(FlaskForm):
    """SPEC "PDF audit report": company × period × stores, Swedish or English."""

    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("To"), validators=[DataRequired()])
    stores = MultiCheckbox(_l("Stores (none ticked: all stores)"), coerce=int)
    language = SelectField(_l("Language"), choices=LANGUAGES)

    def validate_end(self, field: DateField) -> None:
        """The period runs forward."""
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The period ends before it starts."))


def last_month(today: date) -> tuple[date, date]:
    """The first and last day of the month before today's."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def order_form(stores: list[Store], language: str, today: date) -> OrderForm:
    """The form with the company's stores as choices and last month as the default period."""
    start, end = last_month(today)
    form = OrderForm(start=start, end=end, language=language)
    form.stores.choices = [(s.id, f"{s.store_id} · {s.name}") for s in stores]
    return form
