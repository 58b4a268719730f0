'use strict';
/**
 * The context object handed to a Node handler, with the fields Lambda documents. The function's
 * identity is read from the environment once, before user code can change process.env.
 */
const env = process.env;
const identity = {
  functionName: env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
  // a string, as on Lambda
  memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
};

function createContext(invocation) {
  const deadlineMs = invocation.deadlineMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: identity.functionName,
    functionVersion: identity.functionVersion,
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: identity.memoryLimitInMB,
    awsRequestId: invocation.requestId,
    logGroupName: identity.logGroupName,
    logStreamName: identity.logStreamName,
    identity: invocation.cognitoIdentity,
    clientContext: invocation.clientContext,
    getRemainingTimeInMillis() {
      return Math.max(deadlineMs - Date.now(), 0);
    },
  };
}

module.exports = { createContext };
