// isgraph's SPARQL editor: YASGUI (vendored in ./yasgui) set up for this server only.
// Its settings come from the page (a JSON block): the endpoint, the query a new tab starts
// with (isgraph's prefixes declared), and the catalogue's queries as examples.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("isgraph-editor-config").textContent);
  var Yasqe = Yasgui.Yasqe;
  // Only completers that stay on this page: the class and property completers ask
  // Linked Open Vocabularies (another site) and are left out.
  var local = ["variables", "prefixes"].filter(function (name) { return name in Yasqe.Autocompleters; });
  Yasqe.defaults.autocompleters = local;
  Yasgui.defaults.yasqe.autocompleters = local;
  Yasgui.defaults.yasqe.value = config.query;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: config.endpoint }]; },
      keys: [],
      renderItem: function (data, source) {
        var span = document.createElement("span");
        span.textContent = config.endpoint;
        source.appendChild(span);
      }
    },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    autofocus: false,
    tabName: config.tabName
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(config.endpoint);
  var examples = document.getElementById("isgraph-examples");
  function show(name) {
    var example = config.examples.filter(function (e) { return e.name === name; })[0];
    if (!example) { return; }
    var current = yasgui.getTab();
    current.setEndpoint(config.endpoint);
    current.setQuery(example.query);
  }
  examples.addEventListener("change", function () { show(examples.value); });
  if (config.example) {
    examples.value = config.example;
    show(config.example);
  }
  window.isgraphEditor = yasgui;
})();
