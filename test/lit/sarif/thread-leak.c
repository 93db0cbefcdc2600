// The SARIF of one thread-leak finding, field by field: the log, the tool and
// its rule, the result with its location, related location, code flow and
// fingerprints, the artifacts and the invocation.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %tv-sarif --disable all --enable thread-leak --srcroot %S %s -- > %t/log.sarif
// RUN: %threadvet --version > %t/out.txt
// RUN: %sarif-query --line-hash %s 28 >> %t/out.txt
// RUN: %sarif-query %t/log.sarif version '$schema' 'keys(run)' \
// RUN:   driver.name driver.version driver.semanticVersion driver.informationUri \
// RUN:   'len(driver.rules)' rule run.columnKind \
// RUN:   'len(result)' 'keys(result[0])' result[0].ruleId result[0].ruleIndex result[0].level \
// RUN:   result[0].message result[0].locations \
// RUN:   'loc(result[0].relatedLocations[*])' 'result[0].relatedLocations[0].id' \
// RUN:   'len(result[0].codeFlows)' 'len(result[0].codeFlows[0].threadFlows)' \
// RUN:   'result[0].codeFlows[0].threadFlows[0].message' \
// RUN:   'loc(result[0].codeFlows[0].threadFlows[0].locations[*])' \
// RUN:   'result[0].codeFlows[0].threadFlows[0].locations[0]' \
// RUN:   result[0].partialFingerprints artifact run.originalUriBaseIds \
// RUN:   invocation.executionSuccessful invocation.exitCode invocation.toolExecutionNotifications \
// RUN:   >> %t/out.txt
// RUN: FileCheck %s -DSRCDIR=%S < %t/out.txt
#include <pthread.h>

void *work(void *arg) { return arg; }

int start(int fail) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  if (fail)
    return -1;
  pthread_join(t, NULL);
  return 0;
}

// The version the binary reports, and GitHub's line hash of the create's
// line as computed by sarif_query.py from the source, to compare below.
// CHECK: threadvet [[VERSION:[0-9]+\.[0-9]+\.[0-9]+]] (libclang 19)
// CHECK-NEXT: primaryLocationLineHash=[[HASH:[0-9a-f]+]]:1

// CHECK-NEXT: version=2.1.0
// CHECK-NEXT: $schema=https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
// CHECK-NEXT: keys(run)=tool,invocations,originalUriBaseIds,artifacts,results,columnKind

// CHECK-NEXT: driver.name=threadvet
// CHECK-NEXT: driver.version=[[VERSION]]
// CHECK-NEXT: driver.semanticVersion=[[VERSION]]
// CHECK-NEXT: driver.informationUri=https://github.com/threadvet/threadvet
// CHECK-NEXT: len(driver.rules)=1
// CHECK-NEXT: rule[0].id=thread-leak
// CHECK-NEXT: rule[0].name=ThreadLeak
// CHECK-NEXT: rule[0].shortDescription.text=A thread is created but neither joined nor detached on some path.
// CHECK-NEXT: rule[0].fullDescription.text=A joinable thread that is never joined {{.+}}
// CHECK-NEXT: rule[0].help.text=A thread started with {{.+}}
// CHECK-NEXT: rule[0].help.markdown=A thread started with {{.*}}\n**How to fix it**\n{{.+}}
// CHECK-NEXT: rule[0].defaultConfiguration.level=warning
// CHECK-NEXT: rule[0].properties.tags[0]=concurrency
// CHECK-NEXT: rule[0].properties.tags[1]=correctness
// CHECK-NEXT: rule[0].properties.tags[2]=resource-leak
// CHECK-NEXT: rule[0].properties.tags[3]=external/cwe/cwe-404
// CHECK-NEXT: rule[0].properties.tags[4]=external/cwe/cwe-772
// CHECK-NEXT: rule[0].properties.precision=high
// CHECK-NEXT: rule[0].properties["problem.severity"]=warning
// CHECK-NEXT: run.columnKind=utf16CodeUnits

// The result: the create is the primary location, the return that loses the
// handle the related one, and the path between them the code flow.
// CHECK-NEXT: len(result)=1
// CHECK-NEXT: keys(result[0])=ruleId,ruleIndex,level,message,locations,relatedLocations,codeFlows,partialFingerprints
// CHECK-NEXT: result[0].ruleId=thread-leak
// CHECK-NEXT: result[0].ruleIndex=0
// CHECK-NEXT: result[0].level=warning
// CHECK-NEXT: result[0].message.text=thread created into 't' is neither joined nor detached on some path
// CHECK-NEXT: result[0].locations[0].physicalLocation.artifactLocation.uri=thread-leak.c
// CHECK-NEXT: result[0].locations[0].physicalLocation.artifactLocation.uriBaseId=%SRCROOT%
// CHECK-NEXT: result[0].locations[0].physicalLocation.artifactLocation.index=0
// CHECK-NEXT: result[0].locations[0].physicalLocation.region.startLine=28
// CHECK-NEXT: result[0].locations[0].physicalLocation.region.startColumn=3
// CHECK-NEXT: result[0].locations[0].physicalLocation.region.endLine=28
// CHECK-NEXT: result[0].locations[0].physicalLocation.region.endColumn=39
// CHECK-NEXT: result[0].locations[0].physicalLocation.region.snippet.text=pthread_create(&t, NULL, work, NULL)
// CHECK-NEXT: result[0].locations[0].physicalLocation.contextRegion.startLine=27
// CHECK-NEXT: result[0].locations[0].physicalLocation.contextRegion.endLine=29
// CHECK-NEXT: result[0].locations[0].physicalLocation.contextRegion.snippet.text=  pthread_t t;\n  pthread_create(&t, NULL, work, NULL);\n  if (fail)
// CHECK-NEXT: result[0].relatedLocations[0]: thread-leak.c:30:5-30:14: 't' is lost when 'start' returns here
// CHECK-NEXT: result[0].relatedLocations[0].id=1
// CHECK-NEXT: len(result[0].codeFlows)=1
// CHECK-NEXT: len(result[0].codeFlows[0].threadFlows)=1
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].message.text=path
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0]: thread-leak.c:28:3-28:39: thread created into 't'
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[1]: thread-leak.c:29:7-29:11: taking the true branch
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[2]: thread-leak.c:30:5-30:14: 't' is lost when 'start' returns here
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.artifactLocation.uri=thread-leak.c
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.artifactLocation.uriBaseId=%SRCROOT%
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.artifactLocation.index=0
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.region.startLine=28
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.region.startColumn=3
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.region.endLine=28
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.region.endColumn=39
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].location.message.text=thread created into 't'
// CHECK-NEXT: result[0].codeFlows[0].threadFlows[0].locations[0].nestingLevel=0

// GitHub's hash of the create's line, as GitHub would compute it; our own
// fingerprint, 64 bits in hex.
// CHECK-NEXT: result[0].partialFingerprints.primaryLocationLineHash=[[HASH]]:1
// CHECK-NEXT: result[0].partialFingerprints.threadvet/v1={{[0-9a-f]{16}$}}

// The file, relative to --srcroot, which %SRCROOT% names.
// CHECK-NEXT: artifact[0].location.uri=thread-leak.c
// CHECK-NEXT: artifact[0].location.uriBaseId=%SRCROOT%
// CHECK-NEXT: artifact[0].length={{[1-9][0-9]*$}}
// CHECK-NEXT: artifact[0].roles[0]=resultFile
// CHECK-NEXT: run.originalUriBaseIds.%SRCROOT%.uri=file://[[SRCDIR]]/{{$}}
// CHECK-NEXT: invocation.executionSuccessful=true
// CHECK-NEXT: invocation.exitCode=1
// CHECK-NEXT: invocation.toolExecutionNotifications=<missing>
