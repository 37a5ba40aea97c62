# Canadian French: « mardi 14 janvier 2031 », « 13 h 30 ».
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "G \\h i"
# Months in lower case, abbreviated the French way: « 9 déc. 2026 » (never « Déc »).
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y, G \\h i"
