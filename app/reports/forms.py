"""The order form of an audit report: period (a month by default), stores, language."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import DataRequired

from app.companies.forms import LANGUAGES, MultiCheckbox
from app.companies.models import Store
from app.i18n import date as day
from app.reports.service import longest_end


class OrderForm(FlaskForm):
    """SPEC "PDF audit report": company × period × stores, Swedish or English."""

    start = DateField(_l("From"), validators=[DataRequired()])
    end = DateField(_l("To"), validators=[DataRequired()])
    stores = MultiCheckbox(_l("Stores (none ticked: all stores)"), coerce=int)
    language = SelectField(_l("Language of the report"), choices=LANGUAGES)

    def validate_end(self, field: DateField) -> None:
        """The period runs forward, for a year at the most."""
        start, end = self.start.data, field.data
        if start and end and end < start:
            raise ValidationError(_l("The period ends before it starts."))
        if start and end and end > longest_end(start):
            raise ValidationError(
                _l(
                    "A report covers a year at the most: choose %(last)s or earlier, "
                    "or order one report per year.",
                    last=day(longest_end(start), "short"),
                )
            )


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
