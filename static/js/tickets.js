// Queue tickets: the slip's print button (no inline handlers: the content security policy forbids them).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The display board: read each new call out once (a number called, or recalled: a new data-call key) through the
// polite announcer, not the whole board at every poll. Calls already on the board when the page opens are not read.
(() => {
  const board = document.getElementById("board");
  const announcer = document.getElementById("board-announcer");
  if (!board || !announcer) {
    return;
  }
  const keys = () => new Set(Array.from(board.querySelectorAll("[data-call]"), (row) => row.dataset.call));
  let seen = keys();
  board.addEventListener("htmx:afterSwap", () => {
    const calls = Array.from(board.querySelectorAll("[data-call]")).filter((row) => !seen.has(row.dataset.call));
    seen = keys();
    if (calls.length) {
      announcer.textContent = calls.map((row) => row.dataset.announce).join(". ");
    }
  });
})();
