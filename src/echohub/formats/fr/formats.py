# Canadian French: « mardi 14 janvier 2031 », « 13 h 30 ».
DATE_FORMAT = "l j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "G \\h i"
