"""Data for the dashboard pages (Översikt, Förslag, Jämför år): functions a page calls with a
read connection; each returns polars frames or plain values. Pages build no SQL.
"""
