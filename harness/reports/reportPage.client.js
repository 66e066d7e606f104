// report.html's script: draws each scenario's timeline with vis-timeline (inlined before this script) when the
// scenario is opened, shows a DUIS document when it is opened (or its event selected), and filters the scenarios.
// The data is the page's #run-data JSON.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('run-data').textContent);

  function draw(section) {
    var container = section.querySelector('.timeline');
    if (!container || container.hasAttribute('data-drawn')) return;
    // 'pending' until vis-timeline has drawn the scenario's window (it draws on animation frames), then 'yes'.
    container.setAttribute('data-drawn', 'pending');
    var index = Number(section.getAttribute('data-scenario'));
    var scenario = data.scenarios[index];
    var groups = new vis.DataSet(
      data.lanes.map(function (lane, order) {
        return { id: lane.id, content: lane.title, order: order };
      }),
    );
    var items = new vis.DataSet(
      scenario.events.map(function (event, id) {
        var content = document.createElement('span');
        content.textContent = event.label;
        var item = {
          id: id,
          group: event.lane,
          start: new Date(event.at),
          content: content,
          className: 'lane-' + event.lane + (event.cls ? ' ' + event.cls : ''),
          title: escapeHtml(event.detail ? event.label + ' — ' + event.detail : event.label),
        };
        if (event.end !== undefined && event.end > event.at) {
          item.end = new Date(event.end);
          item.type = 'range';
        } else {
          item.type = 'point';
        }
        return item;
      }),
    );
    var span = Math.max(1000, scenario.end - scenario.start);
    var windowSet = false;
    var timeline = new vis.Timeline(container, items, groups, {
      // The virtual clock is in UTC; the axis shows it so, whatever the reader's time zone.
      moment: function (date) {
        return vis.moment(date).utc();
      },
      // The window is set once the first frame is drawn: given as start/end options, vis-timeline keeps the
      // timeline hidden until the range changes, which may never happen.
      onInitialDrawComplete: function () {
        windowSet = true;
        // Room on the right for the labels of the last events (a point's label is drawn after its dot).
        timeline.setWindow(new Date(scenario.start - span * 0.02), new Date(scenario.start + span * 1.25), { animation: false });
      },
      // The year too: virtual time may be any date.
      format: { majorLabels: { millisecond: 'D MMMM YYYY HH:mm:ss', second: 'D MMMM YYYY HH:mm', minute: 'ddd D MMMM YYYY', hour: 'ddd D MMMM YYYY' } },
      stack: true,
      showCurrentTime: false,
      zoomMin: 10,
      maxHeight: 420,
      // Lanes taller than the widget scroll with the wheel; zooming time is ctrl+wheel (or a pinch).
      verticalScroll: true,
      zoomKey: 'ctrlKey',
      orientation: 'top',
      tooltip: { followMouse: true },
    });
    timeline.on('changed', function () {
      if (windowSet) container.setAttribute('data-drawn', 'yes');
    });
    timeline.on('select', function (properties) {
      var event = scenario.events[properties.items[0]];
      if (event && event.duisRef !== undefined) openDuis(index, event.duisRef);
    });
  }

  // A scenario's DUIS documents are deflated and base64 in the data (htmlReport.ts packedDuis): inflated once, when
  // the first of them is opened.
  var inflated = {};
  function documentsOf(scenarioIndex) {
    if (!inflated[scenarioIndex]) {
      var binary = atob(data.scenarios[scenarioIndex].duis);
      var bytes = new Uint8Array(binary.length);
      for (var k = 0; k < binary.length; k += 1) bytes[k] = binary.charCodeAt(k);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
      inflated[scenarioIndex] = new Response(stream).text().then(JSON.parse);
    }
    return inflated[scenarioIndex];
  }

  function showDuis(block) {
    if (block.hasAttribute('data-shown')) return;
    block.setAttribute('data-shown', 'pending');
    var scenarioIndex = Number(block.closest('details.scenario').getAttribute('data-scenario'));
    var doc = Number(block.getAttribute('data-duis'));
    documentsOf(scenarioIndex).then(function (docs) {
      var entry = docs[doc];
      // text, never markup
      var pre = block.querySelector('pre');
      pre.textContent = entry[0];
      // the exact bytes, saved from the page: the duis/ file beside it may not have travelled with it
      var actions = document.createElement('p');
      actions.className = 'duis-actions';
      var save = document.createElement('a');
      save.className = 'save';
      save.textContent = 'save this document';
      save.download = block.getAttribute('data-save');
      save.href = URL.createObjectURL(new Blob([entry[1] !== undefined ? entry[1] : entry[0]], { type: 'application/xml' }));
      actions.appendChild(save);
      block.insertBefore(actions, pre);
      block.setAttribute('data-shown', 'yes');
    });
  }

  var blocks = document.querySelectorAll('details.duis-doc');
  for (var b = 0; b < blocks.length; b += 1) {
    (function (block) {
      block.addEventListener('toggle', function () {
        if (block.open) showDuis(block);
      });
    })(blocks[b]);
  }

  function openDuis(scenarioIndex, duisIndex) {
    var doc = document.getElementById('s' + scenarioIndex + '-duis-' + duisIndex);
    if (!doc) return;
    doc.open = true;
    doc.classList.add('flash');
    setTimeout(function () {
      doc.classList.remove('flash');
    }, 1500);
    doc.scrollIntoView({ block: 'nearest' });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // The summary's filter: the text as typed, found in a scenario's row (pack, name, first failure), and the failed-only toggle
  // hide the rows and sections that do not match.
  var filter = document.getElementById('filter');
  var failedOnly = document.getElementById('failed-only');
  var rows = document.querySelectorAll('#summary tbody tr');
  function applyFilter() {
    var needle = filter.value.trim().toLowerCase();
    var shown = 0;
    for (var r = 0; r < rows.length; r += 1) {
      var row = rows[r];
      var verdict = row.className;
      var text = row.textContent.toLowerCase();
      var match =
        (!failedOnly.checked || verdict === 'failed' || verdict === 'error') && text.indexOf(needle) >= 0;
      row.hidden = !match;
      var section = document.getElementById('scenario-' + row.getAttribute('data-scenario'));
      if (section) section.hidden = !match;
      if (match) shown += 1;
    }
    document.getElementById('filter-count').textContent = needle !== '' || failedOnly.checked ? shown + ' of ' + rows.length + ' scenarios shown' : '';
  }
  filter.addEventListener('input', applyFilter);
  failedOnly.addEventListener('change', applyFilter);

  var sections = document.querySelectorAll('details.scenario');
  for (var i = 0; i < sections.length; i += 1) {
    (function (section) {
      if (section.open) draw(section);
      section.addEventListener('toggle', function () {
        if (section.open) draw(section);
      });
    })(sections[i]);
  }
  document.body.setAttribute('data-ready', 'yes');
})();
