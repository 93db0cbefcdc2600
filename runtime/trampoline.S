/* trampoline.S — the entry of every wrapped function (x86-64, SysV); the
 * locks' fast entries have gates below that fall back to it.
 *
 * A generated stub does `lea DESC(%rip), %r11; jmp __tv_trampoline`. Here:
 * save the argument registers (and %rax, the vector count of a variadic
 * call) in a tv_regs on the stack, call tv_call_pre(desc, regs); unless it
 * returned non-zero (it did the work itself), reload the arguments (it may
 * have changed them), copy eight words of stack arguments, call the real
 * function, save %rax, %rdx, %xmm0, %xmm1, call tv_call_post(desc, regs),
 * and return those. The frame keeps %rbp chained, so stacks captured in
 * the runtime walk on into the program, and has CFI, so a thread cancelled
 * inside the real function unwinds through it. Layout: abi.h (tv_regs). */

    .text
    .globl __tv_trampoline
    .hidden __tv_trampoline
    .type __tv_trampoline, @function
    .p2align 4
__tv_trampoline:
    .cfi_startproc
    pushq   %rbp
    .cfi_def_cfa_offset 16
    .cfi_offset %rbp, -16
    movq    %rsp, %rbp
    .cfi_def_cfa_register %rbp
    subq    $240, %rsp              /* TV_REGS_SIZE: %rsp stays 16-aligned */
    movq    %rdi, 0(%rsp)
    movq    %rsi, 8(%rsp)
    movq    %rdx, 16(%rsp)
    movq    %rcx, 24(%rsp)
    movq    %r8, 32(%rsp)
    movq    %r9, 40(%rsp)
    movq    %rax, 48(%rsp)
    movq    %r11, 56(%rsp)
    movq    $0, 64(%rsp)
    movq    $0, 72(%rsp)
    movq    $0, 80(%rsp)
    movq    %rbp, 88(%rsp)
    movq    $0, 96(%rsp)
    movaps  %xmm0, 112(%rsp)
    movaps  %xmm1, 128(%rsp)
    movaps  %xmm2, 144(%rsp)
    movaps  %xmm3, 160(%rsp)
    movaps  %xmm4, 176(%rsp)
    movaps  %xmm5, 192(%rsp)
    movaps  %xmm6, 208(%rsp)
    movaps  %xmm7, 224(%rsp)

    movq    %r11, %rdi
    movq    %rsp, %rsi
    call    tv_call_pre@PLT
    testl   %eax, %eax
    jnz     .Lresults

    /* Stack arguments: eight words from the caller's frame. */
    subq    $64, %rsp
    movq    16(%rbp), %rax
    movq    %rax, 0(%rsp)
    movq    24(%rbp), %rax
    movq    %rax, 8(%rsp)
    movq    32(%rbp), %rax
    movq    %rax, 16(%rsp)
    movq    40(%rbp), %rax
    movq    %rax, 24(%rsp)
    movq    48(%rbp), %rax
    movq    %rax, 32(%rsp)
    movq    56(%rbp), %rax
    movq    %rax, 40(%rsp)
    movq    64(%rbp), %rax
    movq    %rax, 48(%rsp)
    movq    72(%rbp), %rax
    movq    %rax, 56(%rsp)

    movq    64+0(%rsp), %rdi
    movq    64+8(%rsp), %rsi
    movq    64+16(%rsp), %rdx
    movq    64+24(%rsp), %rcx
    movq    64+32(%rsp), %r8
    movq    64+40(%rsp), %r9
    movaps  64+112(%rsp), %xmm0
    movaps  64+128(%rsp), %xmm1
    movaps  64+144(%rsp), %xmm2
    movaps  64+160(%rsp), %xmm3
    movaps  64+176(%rsp), %xmm4
    movaps  64+192(%rsp), %xmm5
    movaps  64+208(%rsp), %xmm6
    movaps  64+224(%rsp), %xmm7
    movq    64+56(%rsp), %r11
    movq    64+48(%rsp), %rax
    call    *0(%r11)                /* desc->real */
    addq    $64, %rsp

    movq    %rax, 64(%rsp)
    movq    %rdx, 72(%rsp)
    movaps  %xmm0, 112(%rsp)
    movaps  %xmm1, 128(%rsp)
    movq    56(%rsp), %rdi
    movq    %rsp, %rsi
    call    tv_call_post@PLT

.Lresults:
    movq    64(%rsp), %rax
    movq    72(%rsp), %rdx
    movaps  112(%rsp), %xmm0
    movaps  128(%rsp), %xmm1
    leave
    .cfi_def_cfa %rsp, 8
    ret
    .cfi_endproc
    .size __tv_trampoline, .-__tv_trampoline

/* The fast entries' gates (cc.c's fast_entry): a stub of a lock, trylock or
 * unlock of one argument, the lock, does `lea DESC(%rip), %r11; jmp
 * __tv_fast_lock_gate` (or _trylock_, _unlock_). Once the runtime has
 * started without a provoke plan (tv_fast) and unless the descriptor must
 * take the trampoline (bit TV_DN_TRAMPOLINE of its index: a C11 call
 * emulated under TSan), the gate passes the descriptor as the second
 * argument to the C entry (ops.c), by a jump: the C entry's frame is then
 * the only one between the program and the real function. Else the
 * trampoline, as any other stub. %rax is free: not variadic. */
    .macro TV_GATE gate, entry
    .globl \gate
    .hidden \gate
    .type \gate, @function
    .p2align 4
\gate:
    .cfi_startproc
    cmpb    $0, tv_fast(%rip)
    je      __tv_trampoline
    movq    40(%r11), %rax          /* desc->index */
    btq     $45, %rax               /* TV_DN_TRAMPOLINE */
    jc      __tv_trampoline
    movq    %r11, %rsi
    jmp     \entry
    .cfi_endproc
    .size \gate, .-\gate
    .endm

    TV_GATE __tv_fast_lock_gate, __tv_fast_lock
    TV_GATE __tv_fast_trylock_gate, __tv_fast_trylock
    TV_GATE __tv_fast_unlock_gate, __tv_fast_unlock

    .section .note.GNU-stack,"",@progbits
