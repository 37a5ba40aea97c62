// Tell the server the browser's time zone once, so times show in the reader's zone.
// Only when the reader has not chosen one (no cookie yet) and the page was rendered
// in another zone: set the cookie and reload once.
(function () {
  "use strict";
  var root = document.documentElement;
  if (root.dataset.tzKnown === "1") return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "echohub_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  if (zone !== root.dataset.tz) location.reload();
})();
