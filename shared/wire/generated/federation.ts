import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CategoricalCounts as _fedflow_v1_CategoricalCounts, CategoricalCounts__Output as _fedflow_v1_CategoricalCounts__Output } from './fedflow/v1/CategoricalCounts.js';
import type { Challenge as _fedflow_v1_Challenge, Challenge__Output as _fedflow_v1_Challenge__Output } from './fedflow/v1/Challenge.js';
import type { ChallengeRequest as _fedflow_v1_ChallengeRequest, ChallengeRequest__Output as _fedflow_v1_ChallengeRequest__Output } from './fedflow/v1/ChallengeRequest.js';
import type { Chunk as _fedflow_v1_Chunk, Chunk__Output as _fedflow_v1_Chunk__Output } from './fedflow/v1/Chunk.js';
import type { ClientPayload as _fedflow_v1_ClientPayload, ClientPayload__Output as _fedflow_v1_ClientPayload__Output } from './fedflow/v1/ClientPayload.js';
import type { EncoderSketch as _fedflow_v1_EncoderSketch, EncoderSketch__Output as _fedflow_v1_EncoderSketch__Output } from './fedflow/v1/EncoderSketch.js';
import type { EnrolRequest as _fedflow_v1_EnrolRequest, EnrolRequest__Output as _fedflow_v1_EnrolRequest__Output } from './fedflow/v1/EnrolRequest.js';
import type { EnrolResponse as _fedflow_v1_EnrolResponse, EnrolResponse__Output as _fedflow_v1_EnrolResponse__Output } from './fedflow/v1/EnrolResponse.js';
import type { FederationClient as _fedflow_v1_FederationClient, FederationDefinition as _fedflow_v1_FederationDefinition } from './fedflow/v1/Federation.js';
import type { FetchModelRequest as _fedflow_v1_FetchModelRequest, FetchModelRequest__Output as _fedflow_v1_FetchModelRequest__Output } from './fedflow/v1/FetchModelRequest.js';
import type { Finished as _fedflow_v1_Finished, Finished__Output as _fedflow_v1_Finished__Output } from './fedflow/v1/Finished.js';
import type { Float32Vector as _fedflow_v1_Float32Vector, Float32Vector__Output as _fedflow_v1_Float32Vector__Output } from './fedflow/v1/Float32Vector.js';
import type { Heartbeat as _fedflow_v1_Heartbeat, Heartbeat__Output as _fedflow_v1_Heartbeat__Output } from './fedflow/v1/Heartbeat.js';
import type { LocalTraining as _fedflow_v1_LocalTraining, LocalTraining__Output as _fedflow_v1_LocalTraining__Output } from './fedflow/v1/LocalTraining.js';
import type { MaskedDelta as _fedflow_v1_MaskedDelta, MaskedDelta__Output as _fedflow_v1_MaskedDelta__Output } from './fedflow/v1/MaskedDelta.js';
import type { ModelDelta as _fedflow_v1_ModelDelta, ModelDelta__Output as _fedflow_v1_ModelDelta__Output } from './fedflow/v1/ModelDelta.js';
import type { ModelRelease as _fedflow_v1_ModelRelease, ModelRelease__Output as _fedflow_v1_ModelRelease__Output } from './fedflow/v1/ModelRelease.js';
import type { NumericCounts as _fedflow_v1_NumericCounts, NumericCounts__Output as _fedflow_v1_NumericCounts__Output } from './fedflow/v1/NumericCounts.js';
import type { QuantizedVector as _fedflow_v1_QuantizedVector, QuantizedVector__Output as _fedflow_v1_QuantizedVector__Output } from './fedflow/v1/QuantizedVector.js';
import type { Receipt as _fedflow_v1_Receipt, Receipt__Output as _fedflow_v1_Receipt__Output } from './fedflow/v1/Receipt.js';
import type { RevealedShare as _fedflow_v1_RevealedShare, RevealedShare__Output as _fedflow_v1_RevealedShare__Output } from './fedflow/v1/RevealedShare.js';
import type { ScoreHistogram as _fedflow_v1_ScoreHistogram, ScoreHistogram__Output as _fedflow_v1_ScoreHistogram__Output } from './fedflow/v1/ScoreHistogram.js';
import type { SealedEnvelope as _fedflow_v1_SealedEnvelope, SealedEnvelope__Output as _fedflow_v1_SealedEnvelope__Output } from './fedflow/v1/SealedEnvelope.js';
import type { SealedShare as _fedflow_v1_SealedShare, SealedShare__Output as _fedflow_v1_SealedShare__Output } from './fedflow/v1/SealedShare.js';
import type { SecAggInputStep as _fedflow_v1_SecAggInputStep, SecAggInputStep__Output as _fedflow_v1_SecAggInputStep__Output } from './fedflow/v1/SecAggInputStep.js';
import type { SecAggKeys as _fedflow_v1_SecAggKeys, SecAggKeys__Output as _fedflow_v1_SecAggKeys__Output } from './fedflow/v1/SecAggKeys.js';
import type { SecAggKeysStep as _fedflow_v1_SecAggKeysStep, SecAggKeysStep__Output as _fedflow_v1_SecAggKeysStep__Output } from './fedflow/v1/SecAggKeysStep.js';
import type { SecAggMember as _fedflow_v1_SecAggMember, SecAggMember__Output as _fedflow_v1_SecAggMember__Output } from './fedflow/v1/SecAggMember.js';
import type { SecAggRoster as _fedflow_v1_SecAggRoster, SecAggRoster__Output as _fedflow_v1_SecAggRoster__Output } from './fedflow/v1/SecAggRoster.js';
import type { SecAggShares as _fedflow_v1_SecAggShares, SecAggShares__Output as _fedflow_v1_SecAggShares__Output } from './fedflow/v1/SecAggShares.js';
import type { SecAggTask as _fedflow_v1_SecAggTask, SecAggTask__Output as _fedflow_v1_SecAggTask__Output } from './fedflow/v1/SecAggTask.js';
import type { SecAggUnmask as _fedflow_v1_SecAggUnmask, SecAggUnmask__Output as _fedflow_v1_SecAggUnmask__Output } from './fedflow/v1/SecAggUnmask.js';
import type { SecAggUnmaskStep as _fedflow_v1_SecAggUnmaskStep, SecAggUnmaskStep__Output as _fedflow_v1_SecAggUnmaskStep__Output } from './fedflow/v1/SecAggUnmaskStep.js';
import type { SubmitChunk as _fedflow_v1_SubmitChunk, SubmitChunk__Output as _fedflow_v1_SubmitChunk__Output } from './fedflow/v1/SubmitChunk.js';
import type { SubmitHeader as _fedflow_v1_SubmitHeader, SubmitHeader__Output as _fedflow_v1_SubmitHeader__Output } from './fedflow/v1/SubmitHeader.js';
import type { TaskAssignment as _fedflow_v1_TaskAssignment, TaskAssignment__Output as _fedflow_v1_TaskAssignment__Output } from './fedflow/v1/TaskAssignment.js';
import type { TaskEvent as _fedflow_v1_TaskEvent, TaskEvent__Output as _fedflow_v1_TaskEvent__Output } from './fedflow/v1/TaskEvent.js';
import type { WaitRequest as _fedflow_v1_WaitRequest, WaitRequest__Output as _fedflow_v1_WaitRequest__Output } from './fedflow/v1/WaitRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  fedflow: {
    v1: {
      CategoricalCounts: MessageTypeDefinition<_fedflow_v1_CategoricalCounts, _fedflow_v1_CategoricalCounts__Output>
      Challenge: MessageTypeDefinition<_fedflow_v1_Challenge, _fedflow_v1_Challenge__Output>
      ChallengeRequest: MessageTypeDefinition<_fedflow_v1_ChallengeRequest, _fedflow_v1_ChallengeRequest__Output>
      Chunk: MessageTypeDefinition<_fedflow_v1_Chunk, _fedflow_v1_Chunk__Output>
      ClientPayload: MessageTypeDefinition<_fedflow_v1_ClientPayload, _fedflow_v1_ClientPayload__Output>
      EncoderSketch: MessageTypeDefinition<_fedflow_v1_EncoderSketch, _fedflow_v1_EncoderSketch__Output>
      EnrolRequest: MessageTypeDefinition<_fedflow_v1_EnrolRequest, _fedflow_v1_EnrolRequest__Output>
      EnrolResponse: MessageTypeDefinition<_fedflow_v1_EnrolResponse, _fedflow_v1_EnrolResponse__Output>
      Federation: SubtypeConstructor<typeof grpc.Client, _fedflow_v1_FederationClient> & { service: _fedflow_v1_FederationDefinition }
      FetchModelRequest: MessageTypeDefinition<_fedflow_v1_FetchModelRequest, _fedflow_v1_FetchModelRequest__Output>
      Finished: MessageTypeDefinition<_fedflow_v1_Finished, _fedflow_v1_Finished__Output>
      Float32Vector: MessageTypeDefinition<_fedflow_v1_Float32Vector, _fedflow_v1_Float32Vector__Output>
      Heartbeat: MessageTypeDefinition<_fedflow_v1_Heartbeat, _fedflow_v1_Heartbeat__Output>
      LocalTraining: MessageTypeDefinition<_fedflow_v1_LocalTraining, _fedflow_v1_LocalTraining__Output>
      MaskedDelta: MessageTypeDefinition<_fedflow_v1_MaskedDelta, _fedflow_v1_MaskedDelta__Output>
      ModelDelta: MessageTypeDefinition<_fedflow_v1_ModelDelta, _fedflow_v1_ModelDelta__Output>
      ModelRelease: MessageTypeDefinition<_fedflow_v1_ModelRelease, _fedflow_v1_ModelRelease__Output>
      NumericCounts: MessageTypeDefinition<_fedflow_v1_NumericCounts, _fedflow_v1_NumericCounts__Output>
      PayloadKind: EnumTypeDefinition
      QuantizedVector: MessageTypeDefinition<_fedflow_v1_QuantizedVector, _fedflow_v1_QuantizedVector__Output>
      Receipt: MessageTypeDefinition<_fedflow_v1_Receipt, _fedflow_v1_Receipt__Output>
      RevealedShare: MessageTypeDefinition<_fedflow_v1_RevealedShare, _fedflow_v1_RevealedShare__Output>
      ScoreHistogram: MessageTypeDefinition<_fedflow_v1_ScoreHistogram, _fedflow_v1_ScoreHistogram__Output>
      SealedEnvelope: MessageTypeDefinition<_fedflow_v1_SealedEnvelope, _fedflow_v1_SealedEnvelope__Output>
      SealedShare: MessageTypeDefinition<_fedflow_v1_SealedShare, _fedflow_v1_SealedShare__Output>
      SecAggInputStep: MessageTypeDefinition<_fedflow_v1_SecAggInputStep, _fedflow_v1_SecAggInputStep__Output>
      SecAggKeys: MessageTypeDefinition<_fedflow_v1_SecAggKeys, _fedflow_v1_SecAggKeys__Output>
      SecAggKeysStep: MessageTypeDefinition<_fedflow_v1_SecAggKeysStep, _fedflow_v1_SecAggKeysStep__Output>
      SecAggMember: MessageTypeDefinition<_fedflow_v1_SecAggMember, _fedflow_v1_SecAggMember__Output>
      SecAggRoster: MessageTypeDefinition<_fedflow_v1_SecAggRoster, _fedflow_v1_SecAggRoster__Output>
      SecAggShares: MessageTypeDefinition<_fedflow_v1_SecAggShares, _fedflow_v1_SecAggShares__Output>
      SecAggTask: MessageTypeDefinition<_fedflow_v1_SecAggTask, _fedflow_v1_SecAggTask__Output>
      SecAggUnmask: MessageTypeDefinition<_fedflow_v1_SecAggUnmask, _fedflow_v1_SecAggUnmask__Output>
      SecAggUnmaskStep: MessageTypeDefinition<_fedflow_v1_SecAggUnmaskStep, _fedflow_v1_SecAggUnmaskStep__Output>
      SubmitChunk: MessageTypeDefinition<_fedflow_v1_SubmitChunk, _fedflow_v1_SubmitChunk__Output>
      SubmitHeader: MessageTypeDefinition<_fedflow_v1_SubmitHeader, _fedflow_v1_SubmitHeader__Output>
      TaskAssignment: MessageTypeDefinition<_fedflow_v1_TaskAssignment, _fedflow_v1_TaskAssignment__Output>
      TaskEvent: MessageTypeDefinition<_fedflow_v1_TaskEvent, _fedflow_v1_TaskEvent__Output>
      TaskKind: EnumTypeDefinition
      WaitRequest: MessageTypeDefinition<_fedflow_v1_WaitRequest, _fedflow_v1_WaitRequest__Output>
    }
  }
}

