"""The spreadsheet template sites fill in: headers in the chosen language (each naming its key),
an instructions sheet, and drop-down lists for the theme and yes/no (data validation)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from awards_app.activities.spreadsheet import COLUMNS, THEME_NAMES, YES_NO_NAMES, header

TEMPLATE_ROWS = 2000  # rows covered by the drop-down lists

INSTRUCTIONS = {
    "en": [
        "How to fill in this template",
        "One row per MDD activity. Keep the header row as it is; the order of the columns does not matter.",
        "Columns marked * are required. Site code: your site's code (an administrator's import names the site of "
        "each row; a site's own upload may leave it empty).",
        "Reference: your own reference of the activity, unique in the fiscal year. Importing the same file again "
        "updates the rows with the same reference and changes nothing else.",
        "MDD theme: Nature, Education or Community. Biodiversity preservation: yes or no (empty: no).",
        "Dates: 2012-05-03 or 2012/05/03 (or a date cell). Both dates lie in the same fiscal year (April–March).",
        "Participants: a whole number of participations. Volunteer hours: the total, at most one decimal.",
        "Save as .xlsx (no macros) or as CSV (UTF-8 or Excel's default CSV). Hidden rows and sheets are ignored.",
    ],
    "ja": [
        "このテンプレートの記入方法",
        "MDD活動1件につき1行です。見出し行は変更しないでください（列の順序は自由です）。",
        "* の列は必須です。拠点コード：拠点のコード（管理者の取り込みでは各行の拠点を指定。拠点からの取り込みでは空欄可）。",
        "整理番号：拠点独自の活動番号（年度内で一意）。同じファイルをもう一度取り込むと、同じ整理番号の行だけが更新され、"
        "それ以外は変わりません。",
        "MDDテーマ：自然・教育・コミュニティ。生物多様性保全：はい・いいえ（空欄は「いいえ」）。",
        "日付：2012-05-03 または 2012/05/03（日付セルも可）。開始日と終了日は同じ年度（4月〜翌3月）内です。",
        "参加人数：延べ参加人数（整数）。活動時間（延べ）：合計時間（小数点以下1桁まで）。",
        "保存形式は .xlsx（マクロなし）または CSV（UTF-8、または Excel の既定の CSV）です。非表示の行とシートは無視されます。",
    ],
}
SHEET_TITLES = {"en": ("Activities", "Instructions"), "ja": ("活動", "記入方法")}


def build_template(lang: str) -> bytes:
    """The template as XLSX bytes, in `lang` (ja or en)."""
    lang = "ja" if lang == "ja" else "en"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[lang][0]
    keys = list(COLUMNS)
    for index, key in enumerate(keys, start=1):
        required = COLUMNS[key][2]
        cell = sheet.cell(row=1, column=index, value=f"{header(key, lang)}{' *' if required else ''} ({key})")
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if key in ("title", "description") else 20
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    themes = ",".join(THEME_NAMES[lang].values())
    theme_list = DataValidation(type="list", formula1=f'"{themes}"', allow_blank=True)
    yes_no = DataValidation(type="list", formula1=f'"{",".join(YES_NO_NAMES[lang])}"', allow_blank=True)
    for validation, key in ((theme_list, "theme"), (yes_no, "biodiversity")):
        letter = get_column_letter(keys.index(key) + 1)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    for key in ("start_date", "end_date"):
        letter = get_column_letter(keys.index(key) + 1)
        for row in range(2, 3):
            sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
    instructions = workbook.create_sheet(SHEET_TITLES[lang][1])
    for row, line in enumerate(INSTRUCTIONS[lang], start=1):
        instructions.cell(row=row, column=1, value=line).font = Font(bold=row == 1)
    instructions.column_dimensions["A"].width = 120
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
