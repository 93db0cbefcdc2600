;; Visits the file named last on the command line with Eglot (as
;; docs/editors/threadvet-eglot.el sets it up), waits (bounded) for
;; Flymake's diagnostics, prints them and exits.
(find-file (car command-line-args-left))
(setq command-line-args-left nil)
(run-hooks 'post-command-hook) ; eglot-ensure connects after a command
(let ((deadline (+ (float-time) 30)))
  (while (and (< (float-time) deadline) (null (flymake-diagnostics)))
    (accept-process-output nil 0.05)))
(princ (format "%d diagnostic(s)\n" (length (flymake-diagnostics))))
(dolist (d (flymake-diagnostics))
  (princ (format "%d: %s: %s\n" (line-number-at-pos (flymake-diagnostic-beg d))
                 (flymake-diagnostic-type d) (flymake-diagnostic-text d))))
(kill-emacs 0)
