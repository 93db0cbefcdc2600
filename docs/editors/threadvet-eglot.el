;;; threadvet-eglot.el --- threadvet's findings in C buffers, with Eglot
;; Eglot is built into Emacs 29 and later (Debian bookworm's Emacs 28:
;; `apt install elpa-eglot`). Load this file from your init file. Eglot
;; runs one server per buffer: with this, threadvet rather than clangd.
(require 'eglot)
(add-to-list 'eglot-server-programs '((c-mode c-ts-mode) . ("threadvet" "lsp")))
(add-hook 'c-mode-hook #'eglot-ensure)
(add-hook 'c-ts-mode-hook #'eglot-ensure)
