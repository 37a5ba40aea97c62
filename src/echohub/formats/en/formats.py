# Session dates are read with their weekday: "Tuesday, January 14, 2031".
DATE_FORMAT = "l, F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
