// The news editor: a textarea[data-rich-editor] becomes a small rich-text editor (a contenteditable
// area with a toolbar). The HTML goes back into the textarea on submit; the server sanitises it (nh3)
// on save and again on render, so nothing here is trusted. Vendored with STIMS: no CDN.
(function () {
  "use strict";
  var BUTTONS = [
    ["bold", "B", "Đậm"], ["italic", "I", "Nghiêng"], ["formatBlock:h2", "H2", "Tiêu đề"],
    ["formatBlock:p", "¶", "Đoạn văn"], ["insertUnorderedList", "•", "Danh sách"],
    ["insertOrderedList", "1.", "Danh sách số"], ["formatBlock:blockquote", "“”", "Trích dẫn"],
    ["createLink", "🔗", "Liên kết"], ["unlink", "⨯🔗", "Bỏ liên kết"]
  ];
  function setup(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    var area = document.createElement("div");
    area.className = "rich-editor-area form-control";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (textarea.id) {
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label) { label.id = label.id || textarea.id + "-label"; area.setAttribute("aria-labelledby", label.id); }
    }
    area.innerHTML = textarea.value;
    BUTTONS.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary me-1 mb-1";
      button.textContent = b[1];
      button.title = b[2];
      button.setAttribute("aria-label", b[2]);
      button.addEventListener("click", function () {
        var parts = b[0].split(":");
        if (parts[0] === "createLink") {
          var url = window.prompt("Địa chỉ liên kết (https://…)");
          if (!url || !/^(https?:|mailto:)/i.test(url)) { return; }
          document.execCommand("createLink", false, url);
        } else {
          document.execCommand(parts[0], false, parts[1] ? "<" + parts[1] + ">" : null);
        }
        area.focus();
      });
      toolbar.appendChild(button);
    });
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);
    textarea.hidden = true;
    function sync() { textarea.value = area.innerHTML; }
    area.addEventListener("input", sync);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-rich-editor]").forEach(setup);
  });
})();
