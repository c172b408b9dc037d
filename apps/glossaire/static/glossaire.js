// « Écouter »: the browser reads the word and its definition aloud. Only an enhancement: the
// button stays hidden where speech synthesis is missing, and the page reads well without it.
(function () {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  document.querySelectorAll(".glossaire-ecouter").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = (button.getAttribute("data-lire") || "").split(" ").map(function (id) {
        var el = document.getElementById(id);
        return el ? el.innerText : "";
      }).join(". ");
      window.speechSynthesis.cancel();
      var say = new SpeechSynthesisUtterance(text);
      say.lang = "fr-FR";
      say.rate = 0.9;
      window.speechSynthesis.speak(say);
    });
  });
})();
