"""Files people open, made from governance's plain data: charts (matplotlib) for now."""
