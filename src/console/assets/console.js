// Small enhancements over pages that already work without scripts: local times, copy buttons, fields that
// follow the chosen endpoint format, and problems moved beside the field they are about.
(function () {
  document.documentElement.classList.add('js');

  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  var zoneName = function (d) {
    try {
      var part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(d).find(function (p) { return p.type === 'timeZoneName'; });
      return part ? part.value : '';
    } catch (e) { return ''; }
  };
  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (isNaN(d.getTime())) return;
      t.textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
        pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + ' ' + zoneName(d);
      t.removeAttribute('data-local');
    });
  }

  // Fields that only one format uses are hidden, and disabled so they are not sent, while another is chosen.
  function formatFields(root) {
    root.querySelectorAll('select[data-format-select]').forEach(function (select) {
      var form = select.form;
      var apply = function () {
        form.querySelectorAll('[data-formats]').forEach(function (el) {
          var on = el.getAttribute('data-formats').split(' ').indexOf(select.value) >= 0;
          el.hidden = !on;
          el.querySelectorAll('input, select, textarea').forEach(function (i) { i.disabled = !on; });
        });
      };
      select.addEventListener('change', apply);
      apply();
    });
  }

  function formOf(el) {
    var form = el.closest('form');
    if (form) return form;
    var including = el.closest('[hx-include]');
    return including ? document.querySelector(including.getAttribute('hx-include')) : null;
  }

  function fieldOf(form, name) {
    var slot = form.querySelector('[data-problem-for~="' + name + '"]');
    if (slot) return slot;
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest('label') || input.parentElement : null;
  }

  function clearProblems(form) {
    form.querySelectorAll('.field-problem').forEach(function (p) { p.remove(); });
    form.querySelectorAll('[aria-invalid]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
  }

  // The server lists every problem in words; each one about a field of this form moves beside that field.
  function placeProblems(target) {
    var form = formOf(target);
    if (!form) return;
    target.querySelectorAll('.problems').forEach(function (box) {
      var items = box.querySelectorAll('li[data-field]');
      var placed = 0;
      items.forEach(function (li) {
        var field = fieldOf(form, li.getAttribute('data-field'));
        if (!field || field.hidden) return;
        var p = document.createElement('p');
        p.className = 'field-problem';
        p.setAttribute('role', 'alert');
        p.textContent = li.getAttribute('data-message');
        field.appendChild(p);
        var input = field.querySelector('input, select, textarea');
        if (input) input.setAttribute('aria-invalid', 'true');
        li.remove();
        placed++;
      });
      if (placed && !box.querySelector('li')) {
        var list = box.querySelector('ul');
        if (list) list.remove();
        var summary = box.querySelector('strong');
        if (summary) summary.textContent = placed === 1 ? 'Please correct the field marked above.' : 'Please correct the ' + placed + ' fields marked above.';
      }
    });
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('button.copy');
    if (!button) return;
    e.preventDefault();
    var text = button.getAttribute('data-copy');
    var done = function () {
      button.classList.add('copied');
      setTimeout(function () { button.classList.remove('copied'); }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand('copy'); done(); } catch (err) { /* nothing to copy with */ }
      area.remove();
    }
  });

  document.addEventListener('htmx:beforeRequest', function (e) {
    var form = formOf(e.target);
    if (form) clearProblems(form);
  });
  // Fired for every element htmx puts in the page, whatever the swap style.
  document.addEventListener('htmx:load', function (e) {
    var el = e.detail.elt;
    if (!(el instanceof Element)) return;
    placeProblems(el.parentElement || el);
    localTimes(el);
  });

  localTimes(document);
  formatFields(document);
})();
