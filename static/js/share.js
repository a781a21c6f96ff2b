// Copy and share buttons for an invitation. The buttons are hidden in the page and shown here only
// when this browser can do what they promise (the clipboard; the Web Share API), so without
// JavaScript the link and code are still there to select and copy by hand.
(function () {
  "use strict";
  function say(text) {
    const status = document.querySelector(".share-status");
    if (status) status.textContent = text;
  }
  document.addEventListener("DOMContentLoaded", () => {
    if (navigator.clipboard && window.isSecureContext) {
      for (const button of document.querySelectorAll("button[data-copy]")) {
        button.hidden = false;
        button.addEventListener("click", () => {
          navigator.clipboard.writeText(button.dataset.copy).then(
            () => say(button.dataset.copied || ""),
            () => say("")
          );
        });
      }
    }
    if (navigator.share) {
      for (const button of document.querySelectorAll("button[data-share-url]")) {
        button.hidden = false;
        button.addEventListener("click", () => {
          navigator
            .share({
              title: button.dataset.shareTitle,
              text: button.dataset.shareText,
              url: button.dataset.shareUrl,
            })
            .catch(() => {}); // the person closed the share sheet
        });
      }
    }
  });
})();
