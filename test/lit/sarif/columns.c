// Columns: clang counts bytes, which the text output shows; SARIF counts
// UTF-16 code units (columnKind utf16CodeUnits), so the region starts earlier
// on a line with non-ASCII text before it: 'é' is 2 bytes and 1 unit, '😀'
// 4 bytes and 2 units.
// RUN: not %tv %s -- 2>&1 | FileCheck %s --check-prefix=TEXT
// RUN: not %tv-sarif --srcroot %S %s -- | %sarif-query - run.columnKind 'result[0].locations[0].physicalLocation.region' 'loc(result[0].relatedLocations[0])' | FileCheck %s --check-prefix=SARIF
#include <pthread.h>

void *work(void *arg) { return arg; }

void f(void) {
  pthread_t t; /* é */ pthread_create(&t, NULL, work, "😀"); /* 😀 */ return;
}

// TEXT:      columns.c:12:25: warning: thread created into 't' is neither joined nor detached on some path [thread-leak]
// TEXT-NEXT: columns.c:12:76: note: 't' is lost when 'f' returns here

// SARIF:      run.columnKind=utf16CodeUnits
// SARIF-NEXT: result[0].locations[0].physicalLocation.region.startLine=12
// SARIF-NEXT: result[0].locations[0].physicalLocation.region.startColumn=24
// SARIF-NEXT: result[0].locations[0].physicalLocation.region.endLine=12
// SARIF-NEXT: result[0].locations[0].physicalLocation.region.endColumn=60
// SARIF-NEXT: result[0].locations[0].physicalLocation.region.snippet.text=pthread_create(&t, NULL, work, "😀")
// SARIF-NEXT: result[0].relatedLocations[0]: columns.c:12:71-12:77: 't' is lost when 'f' returns here
