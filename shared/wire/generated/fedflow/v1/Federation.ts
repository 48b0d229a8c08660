// Original file: fedflow/v1/federation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Challenge as _fedflow_v1_Challenge, Challenge__Output as _fedflow_v1_Challenge__Output } from '../../fedflow/v1/Challenge.js';
import type { ChallengeRequest as _fedflow_v1_ChallengeRequest, ChallengeRequest__Output as _fedflow_v1_ChallengeRequest__Output } from '../../fedflow/v1/ChallengeRequest.js';
import type { Chunk as _fedflow_v1_Chunk, Chunk__Output as _fedflow_v1_Chunk__Output } from '../../fedflow/v1/Chunk.js';
import type { EnrolRequest as _fedflow_v1_EnrolRequest, EnrolRequest__Output as _fedflow_v1_EnrolRequest__Output } from '../../fedflow/v1/EnrolRequest.js';
import type { EnrolResponse as _fedflow_v1_EnrolResponse, EnrolResponse__Output as _fedflow_v1_EnrolResponse__Output } from '../../fedflow/v1/EnrolResponse.js';
import type { FetchModelRequest as _fedflow_v1_FetchModelRequest, FetchModelRequest__Output as _fedflow_v1_FetchModelRequest__Output } from '../../fedflow/v1/FetchModelRequest.js';
import type { Receipt as _fedflow_v1_Receipt, Receipt__Output as _fedflow_v1_Receipt__Output } from '../../fedflow/v1/Receipt.js';
import type { SubmitChunk as _fedflow_v1_SubmitChunk, SubmitChunk__Output as _fedflow_v1_SubmitChunk__Output } from '../../fedflow/v1/SubmitChunk.js';
import type { TaskEvent as _fedflow_v1_TaskEvent, TaskEvent__Output as _fedflow_v1_TaskEvent__Output } from '../../fedflow/v1/TaskEvent.js';
import type { WaitRequest as _fedflow_v1_WaitRequest, WaitRequest__Output as _fedflow_v1_WaitRequest__Output } from '../../fedflow/v1/WaitRequest.js';

export interface FederationClient extends grpc.Client {
  /**
   * Second enrolment step: the client proves it holds its signing key and gets a session.
   */
  Enrol(argument: _fedflow_v1_EnrolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  Enrol(argument: _fedflow_v1_EnrolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  Enrol(argument: _fedflow_v1_EnrolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  Enrol(argument: _fedflow_v1_EnrolRequest, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Second enrolment step: the client proves it holds its signing key and gets a session.
   */
  enrol(argument: _fedflow_v1_EnrolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  enrol(argument: _fedflow_v1_EnrolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  enrol(argument: _fedflow_v1_EnrolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  enrol(argument: _fedflow_v1_EnrolRequest, callback: grpc.requestCallback<_fedflow_v1_EnrolResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One signed model release, in chunks.
   */
  FetchModel(argument: _fedflow_v1_FetchModelRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_Chunk__Output>;
  FetchModel(argument: _fedflow_v1_FetchModelRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_Chunk__Output>;
  /**
   * One signed model release, in chunks.
   */
  fetchModel(argument: _fedflow_v1_FetchModelRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_Chunk__Output>;
  fetchModel(argument: _fedflow_v1_FetchModelRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_Chunk__Output>;
  
  /**
   * First enrolment step: the coordinator hands out a fresh challenge and its public keys.
   */
  GetChallenge(argument: _fedflow_v1_ChallengeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  GetChallenge(argument: _fedflow_v1_ChallengeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  GetChallenge(argument: _fedflow_v1_ChallengeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  GetChallenge(argument: _fedflow_v1_ChallengeRequest, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  /**
   * First enrolment step: the coordinator hands out a fresh challenge and its public keys.
   */
  getChallenge(argument: _fedflow_v1_ChallengeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  getChallenge(argument: _fedflow_v1_ChallengeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  getChallenge(argument: _fedflow_v1_ChallengeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  getChallenge(argument: _fedflow_v1_ChallengeRequest, callback: grpc.requestCallback<_fedflow_v1_Challenge__Output>): grpc.ClientUnaryCall;
  
  /**
   * A sealed result: a SubmitHeader first, then the chunks of a serialised SealedEnvelope.
   */
  SubmitResult(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  SubmitResult(metadata: grpc.Metadata, callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  SubmitResult(options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  SubmitResult(callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  /**
   * A sealed result: a SubmitHeader first, then the chunks of a serialised SealedEnvelope.
   */
  submitResult(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  submitResult(metadata: grpc.Metadata, callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  submitResult(options: grpc.CallOptions, callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  submitResult(callback: grpc.requestCallback<_fedflow_v1_Receipt__Output>): grpc.ClientWritableStream<_fedflow_v1_SubmitChunk>;
  
  /**
   * Long-lived stream of heartbeats and task assignments until the federation finishes.
   */
  WaitForTask(argument: _fedflow_v1_WaitRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_TaskEvent__Output>;
  WaitForTask(argument: _fedflow_v1_WaitRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_TaskEvent__Output>;
  /**
   * Long-lived stream of heartbeats and task assignments until the federation finishes.
   */
  waitForTask(argument: _fedflow_v1_WaitRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_TaskEvent__Output>;
  waitForTask(argument: _fedflow_v1_WaitRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_fedflow_v1_TaskEvent__Output>;
  
}

export interface FederationHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Second enrolment step: the client proves it holds its signing key and gets a session.
   */
  Enrol: grpc.handleUnaryCall<_fedflow_v1_EnrolRequest__Output, _fedflow_v1_EnrolResponse>;
  
  /**
   * One signed model release, in chunks.
   */
  FetchModel: grpc.handleServerStreamingCall<_fedflow_v1_FetchModelRequest__Output, _fedflow_v1_Chunk>;
  
  /**
   * First enrolment step: the coordinator hands out a fresh challenge and its public keys.
   */
  GetChallenge: grpc.handleUnaryCall<_fedflow_v1_ChallengeRequest__Output, _fedflow_v1_Challenge>;
  
  /**
   * A sealed result: a SubmitHeader first, then the chunks of a serialised SealedEnvelope.
   */
  SubmitResult: grpc.handleClientStreamingCall<_fedflow_v1_SubmitChunk__Output, _fedflow_v1_Receipt>;
  
  /**
   * Long-lived stream of heartbeats and task assignments until the federation finishes.
   */
  WaitForTask: grpc.handleServerStreamingCall<_fedflow_v1_WaitRequest__Output, _fedflow_v1_TaskEvent>;
  
}

export interface FederationDefinition extends grpc.ServiceDefinition {
  Enrol: MethodDefinition<_fedflow_v1_EnrolRequest, _fedflow_v1_EnrolResponse, _fedflow_v1_EnrolRequest__Output, _fedflow_v1_EnrolResponse__Output>
  FetchModel: MethodDefinition<_fedflow_v1_FetchModelRequest, _fedflow_v1_Chunk, _fedflow_v1_FetchModelRequest__Output, _fedflow_v1_Chunk__Output>
  GetChallenge: MethodDefinition<_fedflow_v1_ChallengeRequest, _fedflow_v1_Challenge, _fedflow_v1_ChallengeRequest__Output, _fedflow_v1_Challenge__Output>
  SubmitResult: MethodDefinition<_fedflow_v1_SubmitChunk, _fedflow_v1_Receipt, _fedflow_v1_SubmitChunk__Output, _fedflow_v1_Receipt__Output>
  WaitForTask: MethodDefinition<_fedflow_v1_WaitRequest, _fedflow_v1_TaskEvent, _fedflow_v1_WaitRequest__Output, _fedflow_v1_TaskEvent__Output>
}
