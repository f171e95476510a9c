"""French as written in Canada (settings.FORMAT_MODULE_PATH): Django's `fr` formats with
Canadian usage: dates "3 décembre 2026" and, short, "2026-12-03"; times "14 h 30"; numbers
"10 176,5" (a no-break space between thousands); weeks start on Sunday."""

from django.conf.locale.fr.formats import (  # noqa: F401 -- re-exported as this locale's formats
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    YEAR_MONTH_FORMAT,
)

TIME_FORMAT = r"G \h i"
DATETIME_FORMAT = r"j F Y, G \h i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = r"Y-m-d G \h i"
FIRST_DAY_OF_WEEK = 0
THOUSAND_SEPARATOR = "\u00a0"
