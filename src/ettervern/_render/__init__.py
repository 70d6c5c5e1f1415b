"""Presentation of finished tables: Excel workbooks and charts. It draws any table that follows
the `Table` protocol and knows nothing of how reports are computed.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._render._cells import (
    FORMULA_START,
    FORMULAS,
    Formulas,
    csv_cell,
    csv_safe,
    csv_text,
    from_csv_text,
    text_cell,
)
from ettervern._render._charts import (
    plot_report,
)
from ettervern._render._excel import (
    Rejections,
    sheet_name,
    write_workbook,
)
from ettervern._render._html import (
    STYLE,
    html_block,
    html_table,
)
from ettervern._render._table import (
    Table,
    Tables,
)
from ettervern._render._units import (
    column_unit,
    number_format,
)

__all__ = [
    "FORMULAS",
    "FORMULA_START",
    "STYLE",
    "Formulas",
    "Rejections",
    "Table",
    "Tables",
    "column_unit",
    "csv_cell",
    "csv_safe",
    "csv_text",
    "from_csv_text",
    "html_block",
    "html_table",
    "number_format",
    "plot_report",
    "sheet_name",
    "text_cell",
    "write_workbook",
]
