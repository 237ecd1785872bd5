// Maps of problem reports (Leaflet from npm). Every page works without this file or without
// tiles: the list, the address field and the forms do not need the map.
(function () {
  "use strict";
  var CENTRE = [22.56, 114.13];

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function baseMap(element, zoom) {
    var map = L.map(element, { zoomControl: true }).setView(CENTRE, zoom || 13);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
    } else {
      element.classList.add("map-no-tiles");
    }
    var areas = readJSON("map-areas");
    if (areas) {
      areas.outlines.forEach(function (outline) {
        L.polygon(outline, { color: "#8a94a6", weight: 1, fill: false, interactive: false }).addTo(map);
      });
      areas.labels.forEach(function (label) {
        L.marker(label.at, {
          interactive: false,
          icon: L.divIcon({ className: "map-label", html: "", iconSize: null }),
        }).addTo(map).getElement().textContent = label.name;
      });
    }
    return map;
  }

  function pointsMap(element) {
    var map = baseMap(element);
    fetch(element.getAttribute("data-url"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, at) {
            var open = feature.properties.open;
            return L.circleMarker(at, {
              radius: 6, weight: 1, color: "#fff", fillOpacity: 0.85,
              fillColor: open ? "#c8102e" : "#1a7f37",
            });
          },
          onEachFeature: function (feature, marker) {
            var link = document.createElement("a");
            link.href = feature.properties.url;
            link.textContent = feature.properties.label;
            marker.bindPopup(link);
          },
        }).addTo(map);
        if (data.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
        }
        var count = element.parentNode.querySelector("[data-map-count]");
        if (count) { count.textContent = String(data.features.length); }
      });
  }

  function pickMap(element) {
    var map = baseMap(element, 14);
    var form = element.closest("form");
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    var shown = form.querySelector("[data-picked]");
    var marker = null;

    function place(at) {
      lat.value = at.lat.toFixed(7);
      lng.value = at.lng.toFixed(7);
      if (marker) { marker.setLatLng(at); } else { marker = L.marker(at).addTo(map); }
      if (shown) { shown.textContent = lat.value + ", " + lng.value; }
      suggest();
    }

    function suggest() {
      var category = form.querySelector("select[name=category]");
      var target = document.getElementById("nearby");
      if (!target || !category || !category.value || !lat.value || !window.htmx) { return; }
      var url = target.getAttribute("data-url") + "?category=" + encodeURIComponent(category.value) +
        "&lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
      window.htmx.ajax("GET", url, { target: target, swap: "innerHTML" });
    }

    if (lat.value && lng.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lng.value))); map.setView(marker.getLatLng(), 16); }
    map.on("click", function (event) { place(event.latlng); });
    var category = form.querySelector("select[name=category]");
    if (category) { category.addEventListener("change", suggest); }
    var locate = form.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          var at = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(at, 17);
          place(at);
        });
      });
    }
  }

  function oneMap(element) {
    var at = [parseFloat(element.getAttribute("data-lat")), parseFloat(element.getAttribute("data-lng"))];
    var map = baseMap(element, 16);
    map.setView(at, 16);
    L.circleMarker(at, { radius: 8, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.9 }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) { return; }
    document.querySelectorAll("[data-map]").forEach(function (element) {
      element.hidden = false;
      var kind = element.getAttribute("data-map");
      if (kind === "points") { pointsMap(element); }
      else if (kind === "pick") { pickMap(element); }
      else if (kind === "one") { oneMap(element); }
    });
  });
})();
