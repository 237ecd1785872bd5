// Searchable pickers for units and people (duban/orgs/pickers.py). Every <select data-picker>
// works without this file; with it the select is hidden and a combobox takes its place: type part
// of a name to filter (units: the organisation tree, filtered here; people: searched on the server
// through htmx), arrows to move, Enter to choose, Escape to close. Several choices (协办单位) are
// chips with a remove button; Backspace in the empty box removes the last one.
(() => {
  "use strict";
  let counter = 0;

  function enhance(select) {
    if (select.dataset.enhanced) {
      return;
    }
    select.dataset.enhanced = "1";
    const readOnly = select.disabled; // a field the form does not let change: shown, not editable
    const multiple = select.multiple;
    const remote = select.dataset.picker === "people";
    // The same form may be on a page several times (one per row): ids must stay unique.
    const unique = select.id && document.querySelectorAll(`#${CSS.escape(select.id)}`).length === 1;
    const id = unique ? select.id : `${select.id || "picker"}-${++counter}`;
    const label = select.id && select.form && select.form.querySelector(`label[for="${CSS.escape(select.id)}"]`);

    const wrapper = document.createElement("div");
    wrapper.className = "picker";
    const chips = document.createElement("ul");
    chips.className = "picker-chips";
    chips.setAttribute("aria-label", select.dataset.chosenLabel || "");
    const input = document.createElement("input");
    input.type = "text";
    input.className = "picker-input";
    input.autocomplete = "off";
    input.placeholder = select.dataset.placeholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", `${id}-list`);
    const list = document.createElement("ul");
    list.id = `${id}-list`;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (multiple) {
      list.setAttribute("aria-multiselectable", "true");
    }

    // The field's label, help text and error now belong to the box one types in.
    select.id = `${id}-select`;
    input.id = id;
    if (label) {
      label.htmlFor = id;
    }
    for (const name of ["aria-describedby", "aria-invalid", "aria-required"]) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    }
    if (select.required) {
      input.setAttribute("aria-required", "true");
      select.required = false; // a hidden control cannot be focused to show the browser's message
    }
    select.hidden = true;
    select.tabIndex = -1;
    select.before(wrapper);
    wrapper.append(...(multiple ? [chips] : []), input, list);

    const nameOf = (option) => option.dataset.name || option.textContent.trim();
    const optionFor = (value) => Array.from(select.options).find((o) => o.value === value);
    const chosen = () => Array.from(select.selectedOptions).filter((o) => o.value !== "");
    const entries = () => Array.from(list.querySelectorAll('[role="option"]'));
    const visible = () => entries().filter((li) => !li.hidden);
    let active = null;
    let timer = null;

    function showChosen() {
      if (multiple) {
        chips.replaceChildren(
          ...chosen().map((option) => {
            const chip = document.createElement("li");
            chip.append(nameOf(option));
            if (readOnly) {
              return chip;
            }
            const remove = document.createElement("button");
            remove.type = "button";
            remove.textContent = "×";
            remove.setAttribute("aria-label", `${select.dataset.removeLabel || "×"} ${nameOf(option)}`);
            remove.addEventListener("click", () => {
              option.selected = false;
              changed();
              input.focus();
            });
            chip.append(remove);
            return chip;
          }),
        );
      } else {
        const [option] = chosen();
        input.value = option ? nameOf(option) : "";
      }
      markChosen();
    }

    // The list marks what is chosen; the box keeps what is being typed.
    function markChosen() {
      const values = new Set(chosen().map((o) => o.value));
      for (const li of entries()) {
        li.setAttribute("aria-selected", values.has(li.dataset.value) ? "true" : "false");
      }
    }

    function changed() {
      showChosen();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function setActive(li) {
      if (active) {
        active.classList.remove("picker-active");
      }
      active = li;
      if (li) {
        li.classList.add("picker-active");
        input.setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(null);
    }

    function choose(li) {
      const value = li.dataset.value;
      let option = optionFor(value);
      if (!option) {
        option = new Option(li.dataset.label || li.textContent.trim(), value);
        select.add(option);
      }
      if (multiple) {
        option.selected = !option.selected;
        input.value = "";
        refresh("");
      } else {
        select.value = value;
        close();
      }
      changed();
    }

    // Units: the tree from the select's options, filtered here. A match shows its ancestors too.
    function buildTree() {
      const items = [];
      for (const child of select.children) {
        const group = child.tagName === "OPTGROUP" ? child : null;
        const options = group ? Array.from(group.children) : [child];
        if (group) {
          const heading = document.createElement("li");
          heading.className = "picker-group";
          heading.setAttribute("role", "presentation");
          heading.textContent = group.label;
          items.push(heading);
        }
        for (const option of options) {
          if (option.value === "") {
            continue;
          }
          const li = document.createElement("li");
          li.setAttribute("role", "option");
          li.id = `${id}-option-${option.value}`;
          li.dataset.value = option.value;
          li.dataset.label = nameOf(option);
          li.dataset.parent = option.dataset.parent || "";
          li.dataset.search = option.dataset.search || nameOf(option).toLowerCase();
          li.style.paddingLeft = `${0.6 + 1.2 * Number(option.dataset.depth || 0)}em`;
          li.textContent = nameOf(option);
          items.push(li);
        }
      }
      list.replaceChildren(...items);
    }

    function filter(text) {
      const query = text.trim().toLowerCase();
      const byValue = new Map(entries().map((li) => [li.dataset.value, li]));
      const shown = new Set();
      for (const li of byValue.values()) {
        li.classList.remove("picker-context");
        if (!query || li.dataset.search.includes(query)) {
          shown.add(li);
          for (let up = byValue.get(li.dataset.parent); up && !shown.has(up); up = byValue.get(up.dataset.parent)) {
            shown.add(up);
            if (query && !up.dataset.search.includes(query)) {
              up.classList.add("picker-context");
            }
          }
        }
      }
      let heading = null;
      let headingUsed = false;
      for (const li of list.children) {
        if (li.classList.contains("picker-group")) {
          if (heading) {
            heading.hidden = !headingUsed;
          }
          heading = li;
          headingUsed = false;
        } else {
          li.hidden = !shown.has(li);
          headingUsed = headingUsed || !li.hidden;
        }
      }
      if (heading) {
        heading.hidden = !headingUsed;
      }
      const first = visible().find((li) => !li.classList.contains("picker-context"));
      setActive(query ? first || null : visible().find((li) => li.getAttribute("aria-selected") === "true") || null);
      list.dataset.empty = visible().length ? "" : select.dataset.noMatch || "";
    }

    // People: asked of the server as one types; it answers with the options.
    function search(text) {
      const url = new URL(select.dataset.searchUrl, window.location.href);
      url.searchParams.set("q", text.trim());
      // `source`: each box has its own request queue; htmx answers the last query typed.
      const request = { source: input, target: list, swap: "innerHTML" };
      window.htmx.ajax("GET", url.pathname + url.search, request).then(() => {
        for (const li of entries()) {
          li.id = `${id}-option-${li.dataset.value}`;
        }
        markChosen();
        setActive(visible()[0] || null);
      });
    }

    // What the list shows for `text`; on focus the whole list, the chosen name still in the box.
    function refresh(text = input.value) {
      if (remote) {
        clearTimeout(timer);
        timer = setTimeout(() => search(text), 200);
      } else {
        filter(text);
      }
    }

    function move(step) {
      const items = visible();
      if (!items.length) {
        return;
      }
      const at = items.indexOf(active);
      setActive(items[at === -1 ? (step > 0 ? 0 : items.length - 1) : (at + step + items.length) % items.length]);
    }

    if (readOnly) {
      input.disabled = true;
      showChosen();
      return;
    }
    input.addEventListener("focus", () => {
      input.select();
      open();
      refresh(multiple ? input.value : "");
    });
    input.addEventListener("input", () => {
      open();
      refresh();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          open();
          refresh(multiple ? input.value : "");
        }
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault(); // choosing never sends the form
        if (active) {
          choose(active);
        }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
        showChosen();
      } else if (event.key === "Backspace" && multiple && input.value === "" && chosen().length) {
        chosen().at(-1).selected = false;
        changed();
      }
    });
    input.addEventListener("blur", () => {
      // Typing a name is not choosing it: without a choice the box shows what is chosen. An
      // emptied box clears an optional single choice. (The chips stay as they are: a chip's
      // remove button may be what took the focus.)
      close();
      if (multiple) {
        input.value = "";
      } else if (input.value.trim() === "" && optionFor("") && chosen().length) {
        select.value = "";
        changed();
      } else {
        showChosen();
      }
    });
    list.addEventListener("mousedown", (event) => {
      event.preventDefault(); // keep the focus in the box
      const li = event.target.closest('[role="option"]');
      if (li) {
        choose(li);
      }
    });

    if (!remote) {
      buildTree();
    }
    showChosen();
  }

  function enhanceAll(root) {
    for (const select of root.querySelectorAll("select[data-picker]")) {
      enhance(select);
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(enhanceAll);
  }
  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
})();
