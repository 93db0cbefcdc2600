#include <pthread.h>
static void *work(void *arg) { return arg; }
int tabbed(void) {
	pthread_t t;
	return pthread_create(&t, NULL, work, NULL);
}
