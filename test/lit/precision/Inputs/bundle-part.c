/* A source file compiled only as part of a bundle unit (bundle.c includes it). */
static pthread_t helper_thread;
static void *helper(void *arg) { return arg; }
static int start_helper(void) { return pthread_create(&helper_thread, NULL, helper, NULL); }
static void stop_helper(void) { pthread_join(helper_thread, NULL); }

static pthread_t lost_thread;
static int start_lost(void) { return pthread_create(&lost_thread, NULL, helper, NULL); }
