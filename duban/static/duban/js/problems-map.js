// Maps of problem reports (Leaflet from npm). Every page works without this file or without
// tiles: the list, the address field and the forms do not need the map. Without tiles the map
// draws the district's streets and communities (the outlines the office mapped, else approximate
// ones around their centres) so a point can still be placed. Markers are drawn, not images, so
// no image path has to survive the static files' hashed names.
(function () {
  "use strict";
  var CENTRE = [22.56, 114.13];
  var COMMUNITY_LABELS_FROM_ZOOM = 15;
  var PIN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 36" width="24" height="36" aria-hidden="true">' +
    '<path class="map-pin-body" d="M12 0C5.4 0 0 5.3 0 11.9 0 20.8 12 36 12 36s12-15.2 12-24.1C24 5.3 18.6 0 12 0z"/>' +
    '<circle class="map-pin-dot" cx="12" cy="12" r="4.5"/></svg>';

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function pin() {
    return L.divIcon({ className: "map-pin", html: PIN, iconSize: [24, 36], iconAnchor: [12, 36] });
  }

  function label(map, at, text, kind) {
    var marker = L.marker(at, {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "map-label map-label-" + kind, html: "<span></span>", iconSize: null }),
    }).addTo(map);
    marker.getElement().firstChild.textContent = text;
  }

  // The district, its streets and communities; returns their bounds (null when nothing is mapped).
  function drawAreas(map) {
    var data = readJSON("map-areas");
    var bounds = L.latLngBounds([]);
    if (!data) { return null; }
    data.districts.forEach(function (outline) {
      bounds.extend(L.polygon(outline, { className: "map-district", interactive: false, fill: false }).addTo(map).getBounds());
    });
    data.areas.forEach(function (area) {
      var classes = "map-area map-" + area.kind + (area.approximate ? " map-approximate" : "");
      if (area.outline.length) {
        var shape = L.polygon(area.outline, { className: classes, interactive: false }).addTo(map);
        if (area.kind === "street") { bounds.extend(shape.getBounds()); }
      }
      label(map, area.at, area.name, area.kind);
    });
    function zoomed() {
      map.getContainer().classList.toggle("map-zoomed-in", map.getZoom() >= COMMUNITY_LABELS_FROM_ZOOM);
    }
    map.on("zoomend", zoomed);
    zoomed();
    return bounds.isValid() ? bounds : null;
  }

  function baseMap(element, zoom) {
    var map = L.map(element, { zoomControl: true }).setView(CENTRE, zoom || 13);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        subdomains: element.getAttribute("data-subdomains") || "abc",
        attribution: element.getAttribute("data-attribution") || "",
      }).addTo(map);
    } else {
      element.classList.add("map-no-tiles");
    }
    map.areaBounds = drawAreas(map);
    if (map.areaBounds) { map.fitBounds(map.areaBounds, { padding: [8, 8], animate: false }); }
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
    var system = form.querySelector("input[name=coordinate_system]");
    var address = form.querySelector("input[name=address]");
    var shown = form.querySelector("[data-picked]");
    var placeUrl = element.getAttribute("data-place-url");
    var marker = null;
    var asked = 0;

    function lookUp(latValue, lngValue, coordinates) {
      var url = placeUrl + "?lat=" + encodeURIComponent(latValue) + "&lng=" + encodeURIComponent(lngValue) +
        "&coordinate_system=" + encodeURIComponent(coordinates);
      var mine = ++asked;
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { return mine === asked ? data : null; });
    }

    // The address takes the place's street and community unless the resident wrote their own.
    function named(data) {
      if (!data) { return; }
      if (shown) { shown.textContent = data.error || data.address; }
      element.setAttribute("data-place", data.error ? "" : data.address);
      if (data.error || !address) { return; }
      if (!address.value.trim() || address.value === address.getAttribute("data-filled")) {
        address.value = data.address;
        address.setAttribute("data-filled", data.address);
      }
    }

    function mark(at) {
      if (marker) { marker.setLatLng(at); } else { marker = L.marker(at, { icon: pin(), keyboard: false }).addTo(map); }
    }

    function place(at) {
      lat.value = at.lat.toFixed(7);
      lng.value = at.lng.toFixed(7);
      mark(at);
      if (shown) { shown.textContent = lat.value + ", " + lng.value; }
      if (placeUrl) { lookUp(lat.value, lng.value, system.value).then(named); }
      suggest();
    }

    function suggest() {
      var category = form.querySelector("select[name=category]");
      var target = document.getElementById("nearby");
      if (!target || !category || !category.value || !lat.value || !window.htmx) { return; }
      var url = target.getAttribute("data-url") + "?category=" + encodeURIComponent(category.value) +
        "&lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value) +
        "&coordinate_system=" + encodeURIComponent(system.value);
      window.htmx.ajax("GET", url, { target: target, swap: "innerHTML" });
    }

    if (lat.value && lng.value) {
      mark(L.latLng(parseFloat(lat.value), parseFloat(lng.value)));
      map.setView(marker.getLatLng(), 16);
    }
    map.on("click", function (event) { place(event.latlng); });
    var category = form.querySelector("select[name=category]");
    if (category) { category.addEventListener("change", suggest); }
    var locate = form.querySelector("[data-locate]");
    if (locate && navigator.geolocation && placeUrl) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        // The device gives WGS-84; the server answers with the point in the map's coordinates.
        navigator.geolocation.getCurrentPosition(function (position) {
          lookUp(position.coords.latitude, position.coords.longitude, "wgs84").then(function (data) {
            if (data && data.at) {
              var at = L.latLng(data.at[0], data.at[1]);
              map.setView(at, 17);
              place(at);
            } else {
              named(data);
            }
          });
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
      else if (kind === "areas") { baseMap(element); }
    });
  });
})();
