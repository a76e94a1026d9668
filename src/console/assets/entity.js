// Live entity state: the server renders the panel and streams it whole, so this file only swaps it in.
(function () {
  var panel = document.querySelector('[data-entity-stream]');
  if (!panel || !window.EventSource) return;
  var status = document.querySelector('[data-live]');
  var source = new EventSource(panel.getAttribute('data-entity-stream'));
  source.addEventListener('state', function (e) {
    panel.innerHTML = e.data;
  });
  source.onopen = function () {
    if (status) { status.classList.add('on'); status.textContent = 'live'; }
  };
  source.onerror = function () {
    if (status) { status.classList.remove('on'); status.textContent = 'reconnecting…'; }
  };
})();
