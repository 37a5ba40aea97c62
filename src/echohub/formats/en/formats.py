# Session dates are read with their weekday: "Tuesday, January 14, 2031".
DATE_FORMAT = "l, F j, Y"
# "12:00 p.m." rather than Django's "noon": the same shape for every time.
TIME_FORMAT = "g:i a"
SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y, g:i a"
