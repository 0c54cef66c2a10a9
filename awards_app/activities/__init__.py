"""Activities: the programme's record — every MDD activity of every site, typed in or imported from
the spreadsheets sites keep. The programme's statistics are the sum of these rows."""
