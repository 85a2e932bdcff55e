import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** Body of the probe route; a `.dto.ts` file so the swagger plugin documents it like product DTOs. */
export class EchoDto {
  /** @example "Alice" */
  @IsString() name!: string;
  @IsInt() @Min(1) @Max(50) quantity!: number;
  @IsOptional() @IsString() phone?: string;
}
