"""Files → tables: workbook and CSV reading, header and unit detection, Swedish numbers."""
